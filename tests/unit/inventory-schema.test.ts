import { describe, expect, it } from 'vitest';
import { parseInventory, parseInventoryText } from '../../server/inventory/devices-schema.js';

const fibre = (id: string, extra: Record<string, unknown> = {}) => ({
  id, tech: 'fibre', site: 'olt-north', location: { lat: 50.85, lon: 4.35 },
  snmp: { host: '127.0.0.1', port: 1161, version: '2c', community: 'public' }, householdsPassed: 120, accessTech: 'ftth', ...extra,
});
const wifi = (id: string, extra: Record<string, unknown> = {}) => ({ id, tech: 'wifi', site: 'park', location: { lat: 50.84, lon: 4.36 }, ...extra });

describe('the devices file schema', () => {
  it('accepts fibre and wifi devices and gives wifi APs a 50 m radius by default', () => {
    const r = parseInventory({ devices: [fibre('f1'), wifi('w1'), wifi('w2', { radiusM: 80, mqttId: 'ap-2' })] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.devices.map((d) => d.radiusM)).toEqual([undefined, 50, 80]);
    expect(r.value.devices[0]!.snmp).toEqual({ host: '127.0.0.1', port: 1161, version: '2c', community: 'public' });
  });

  it('names the path of a bad latitude as devices[i].location.lat', () => {
    const r = parseInventory({ devices: [fibre('f1'), wifi('w1'), fibre('f2'), wifi('w3', { location: { lat: 95, lon: 4.3 } })] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^devices\[3\]\.location\.lat: /);
  });

  it('rejects a duplicate id, naming the second occurrence and the first', () => {
    const r = parseInventory({ devices: [fibre('f1'), wifi('w1'), fibre('f1')] });
    expect(r).toEqual({ ok: false, errors: ['devices[2].id: duplicate id "f1" (first at devices[0])'] });
  });

  it('rejects two wifi APs publishing under the same MQTT id', () => {
    const r = parseInventory({ devices: [wifi('w1'), wifi('w2', { mqttId: 'w1' })] });
    expect(r).toEqual({ ok: false, errors: ['devices[1].mqttId: duplicate MQTT id "w1" (first at devices[0])'] });
  });

  it('requires SNMP access for fibre and forbids it for wifi', () => {
    const noSnmp = fibre('f1');
    delete (noSnmp as Record<string, unknown>)['snmp'];
    const r = parseInventory({ devices: [noSnmp, wifi('w1', { snmp: { host: 'x', version: '2c', community: 'c' } })] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'devices[0].snmp: required for a fibre device (it is polled over SNMP)',
      'devices[1].snmp: wifi APs report over MQTT, not SNMP',
    ]);
  });

  it('requires the keys an SNMPv3 authPriv user needs, and reads version 3 written as a YAML number', () => {
    const text = [
      'devices:',
      '  - id: f1',
      '    tech: fibre',
      '    site: s',
      '    location: { lat: 50.8, lon: 4.3 }',
      '    snmp: { host: 127.0.0.1, version: 3, user: netatlas, level: authPriv, authProtocol: sha, authKey: netatlas-auth-pass }',
    ].join('\n');
    const r = parseInventoryText(text, 'devices.yaml');
    expect(r).toEqual({ ok: false, errors: ['devices[0].snmp.privProtocol: required for level authPriv', 'devices[0].snmp.privKey: required for level authPriv'] });
  });

  it('refuses a hand-typed area, because the area is derived from the location', () => {
    const r = parseInventory({ devices: [wifi('w1', { area: '21004' })] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatch(/^devices\[0\]: .*area/);
  });

  it('rejects more 1 Gbps subscriptions than 100 Mbps ones', () => {
    const r = parseInventory([fibre('f1', { subscriptions: { total: 100, atLeast100Mbps: 40, atLeast1Gbps: 41 } })]);
    expect(r).toEqual({ ok: false, errors: ['devices[0].subscriptions.atLeast1Gbps: cannot exceed atLeast100Mbps (40)'] });
  });

  it('reports a YAML syntax error instead of throwing', () => {
    const r = parseInventoryText('devices: [\n  - id: x', 'devices.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatch(/^not valid YAML: /);
  });

  it('reads the same inventory from JSON', () => {
    const r = parseInventoryText(JSON.stringify({ devices: [wifi('w1')] }), 'devices.json');
    expect(r.ok && r.value.devices[0]!.id).toBe('w1');
  });
});
