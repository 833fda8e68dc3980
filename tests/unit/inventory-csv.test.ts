import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importDevicesCsv, parseCsv } from '../../server/inventory/csv-import.js';
import { parseInventory } from '../../server/inventory/devices-schema.js';

const header = 'id,tech,site,lat,lon,snmp_host,snmp_port,snmp_version,snmp_community,mqtt_id,households_passed,access_tech,radius_m,subs_total,subs_100mbps,subs_1gbps';

describe('importDevicesCsv', () => {
  it('turns valid rows into an inventory whose YAML passes the devices schema', () => {
    const csv = [
      header,
      'olt-1,fibre,"Site, north",50.85,4.35,127.0.0.1,1161,2c,public,,320,ftth,,200,150,30',
      'ap-1,wifi,park,50.84,4.36,,,,,ap-one,,,75,,,',
    ].join('\r\n');
    const r = importDevicesCsv(csv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.inventory.devices).toEqual([
      {
        id: 'olt-1', tech: 'fibre', site: 'Site, north', location: { lat: 50.85, lon: 4.35 },
        snmp: { host: '127.0.0.1', port: 1161, version: '2c', community: 'public' },
        householdsPassed: 320, accessTech: 'ftth', subscriptions: { total: 200, atLeast100Mbps: 150, atLeast1Gbps: 30 },
      },
      { id: 'ap-1', tech: 'wifi', site: 'park', location: { lat: 50.84, lon: 4.36 }, mqttId: 'ap-one', radiusM: 75 },
    ]);
    const reread = parseInventory(parse(r.yaml));
    expect(reread.ok && reread.value).toEqual(r.inventory);
  });

  it('reports every bad row by its line number and produces nothing', () => {
    const csv = [
      header,
      'olt-1,fibre,s,50.85,4.35,127.0.0.1,161,2c,public,,10,ftth,,,,',
      'olt-2,fibre,s,north,4.35,127.0.0.1,161,2c,public,,10,ftth,,,,',
      'ap-1,wifi,park,50.84,4.36,,,,,,,,-5,,,',
      'ap-2,wifi,park,50.84,4.36,,,,,,,,',
      'ap-3,wifi,park,50.84,4.36,,,,,,,,,,,',
    ].join('\n');
    const r = importDevicesCsv(csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(3);
    expect(r.errors[0]).toMatch(/^line 3: location\.lat: /);
    expect(r.errors[1]).toMatch(/^line 4: radiusM: /);
    expect(r.errors[2]).toBe('line 5: 13 cells, the header has 16');
  });

  it('reports a duplicate id on the line of its second occurrence', () => {
    const csv = ['id,tech,site,lat,lon', 'ap-1,wifi,a,50.8,4.3', 'ap-2,wifi,a,50.8,4.3', 'ap-1,wifi,b,50.8,4.3'].join('\n');
    expect(importDevicesCsv(csv)).toEqual({ ok: false, errors: ['line 4: id: duplicate id "ap-1" (first at line 2)'] });
  });

  it('rejects unknown and missing columns in the header', () => {
    const r = importDevicesCsv('id,tech,site,latitude,lon\nap-1,wifi,a,50.8,4.3\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatch(/^line 1: unknown column\(s\) latitude;/);
    expect(r.errors[1]).toBe('line 1: missing required column(s) lat');
  });

  it('counts lines of quoted cells that span lines, so later rows keep their real line numbers', () => {
    const records = parseCsv('a,b\n"x\ny",1\n\nz,2\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', '1'] },
      { line: 5, cells: ['z', '2'] },
    ]);
  });

  it('counts a CRLF inside a quoted cell as one line, with a BOM, mixed line endings and blank lines', () => {
    // line 1 header; 2-3 the quoted cell; 4 blank (CRLF); 5 blank (LF); 6 'z,2'; 7 'w,3' after a lone CR
    const records = parseCsv('\uFEFFa,b\r\n"x\r\ny",1\r\n\r\n\nz,2\rw,3');
    expect(records.map((r) => r.line)).toEqual([1, 2, 6, 7]);
    expect(records.map((r) => r.cells)).toEqual([['a', 'b'], ['x\r\ny', '1'], ['z', '2'], ['w', '3']]);
  });

  it('keeps a quote inside an unquoted cell, and reports a file that is not CSV with its line', () => {
    expect(parseCsv('a,b\nab"c,1\n')).toEqual([{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['ab"c', '1'] }]);
    const r = importDevicesCsv('id,tech,site,lat,lon\nap-1,wifi,"a,50.8,4.3\n');
    // the line of the row whose quote never closes, not the end of the file
    expect(r).toEqual({ ok: false, errors: ['line 2: not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2'] });
  });

  it('imports the example in server/inventory/README.md, so the documented header stays true', () => {
    const md = readFileSync(new URL('../../server/inventory/README.md', import.meta.url), 'utf8');
    const r = importDevicesCsv(md.split('```')[1]!.trim());
    expect(r.ok && r.inventory.devices.map((d) => [d.id, d.tech, d.radiusM])).toEqual([['olt-anderlecht-1', 'fibre', undefined], ['ap-grand-place', 'wifi', 60]]);
  });
});
