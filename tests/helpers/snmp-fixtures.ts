/**
 * Test fixtures for the SNMP collector: a recording Sink (a pure-unit fake: it keeps what the
 * collector wrote), a fixed inventory, config from the real schema, and a log capture.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { InventoryView } from '../../core/inventory-view.js';
import type { Sink } from '../../collectors/types.js';
import { snmpConfigSchema, type SnmpConfig } from '../../collectors/snmp/config.js';
import type { Device, SnmpAccess } from '../../core/device.js';
import type { Point } from '../../core/point.js';

export class RecordingSink implements Sink {
  readonly points: Point[] = [];
  /** when each write came (epoch ms), with the devices it concerned */
  readonly writes: Array<{ at: number; devices: string[] }> = [];
  async write(points: readonly Point[]): Promise<void> {
    this.points.push(...points);
    this.writes.push({ at: Date.now(), devices: [...new Set(points.map((p) => p.tags['device'] ?? ''))] });
  }
  of(measurement: string, device?: string): Point[] {
    return this.points.filter((p) => p.measurement === measurement && (device === undefined || p.tags['device'] === device));
  }
  clear(): void {
    this.points.length = 0;
  }
}

export function staticInventory(devices: Device[]): InventoryView {
  return {
    all: () => devices,
    byId: (id) => devices.find((d) => d.id === id),
    byMqttId: (id) => devices.find((d) => (d.mqttId ?? d.id) === id),
  };
}

export function snmpDevice(id: string, snmp: SnmpAccess, extra: Partial<Device> = {}): Device {
  return { id, tech: 'fibre', site: `site-${id}`, area: 'area-1', location: { lat: 50.85, lon: 4.35 }, snmp, ...extra };
}

export function v2(port: number, community = 'public', host = '127.0.0.1'): SnmpAccess {
  return { host, port, version: '2c', community };
}

export function snmpConfig(overrides: Record<string, unknown> = {}): SnmpConfig {
  return snmpConfigSchema.parse(overrides);
}

/** A pino logger that keeps its JSON lines, so tests can read what was logged. */
export function captureLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  const log = pino({ level: 'debug' }, stream);
  return {
    log,
    lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Net-SNMP CLI arguments for an access block (snmpget/snmpwalk/snmpbulkwalk). */
export function cliArgs(a: SnmpAccess): string[] {
  if (a.version === '2c') return ['-v2c', '-c', a.community];
  const args = ['-v3', '-u', a.user, '-l', a.level];
  if (a.level !== 'noAuthNoPriv') args.push('-a', (a.authProtocol ?? 'sha').toUpperCase().replace('SHA256', 'SHA-256').replace('SHA512', 'SHA-512'), '-A', a.authKey ?? '');
  if (a.level === 'authPriv') args.push('-x', (a.privProtocol ?? 'aes').toUpperCase(), '-X', a.privKey ?? '');
  return args;
}

/**
 * Fails loudly, naming the service, when no SNMP agent answers at host:port (SNMP is UDP, so
 * services.ts's TCP probe cannot tell). Uses the Net-SNMP CLI, which the tests compare with anyway.
 */
export async function requireSnmpAgent(access: SnmpAccess): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    execFile('snmpget', [...cliArgs(access), '-t', '2', '-r', '1', `${access.host}:${access.port}`, '1.3.6.1.2.1.1.3.0'], (err, _out, stderr) => {
      if (err) reject(new Error(`snmpd is not answering at ${access.host}:${access.port} (${stderr.trim() || err.message}): run \`bash tests/services/start\` (npm test does this first)`));
      else resolve();
    });
  });
}
