/**
 * The real services that `tests/services/start` provides answer the way the rest of the suite
 * expects, and the `require*` helpers fail naming the service when it is missing.
 */
import dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import snmp from 'net-snmp';
import type { Session, User, Varbind } from 'net-snmp';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SYS_UPTIME_OID,
  requireChromium,
  requireInflux,
  requireMosquitto,
  requireSnmpAgent,
  services,
} from '../helpers/services.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

/** A loopback TCP port that nothing listens on (bound, then released). */
async function closedTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback UDP port that nothing listens on (bound, then released). */
async function closedUdpPort(): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

async function influxQuery(url: string, q: string): Promise<unknown> {
  const res = await fetch(new URL(`/query?q=${encodeURIComponent(q)}`, url), {
    method: 'POST', signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  return res.json();
}

function snmpGet(session: Session, oids: string[]): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (err, varbinds) => (err ? reject(err) : resolve(varbinds)));
  });
}

describe('InfluxDB 1.x', () => {
  const db = `netatlas_services_${randomUUID().replaceAll('-', '')}`;
  let created = false;

  afterAll(async () => {
    if (created) await influxQuery(services.influxUrl, `DROP DATABASE "${db}"`);
  });

  it('answers GET /ping with 204 and an InfluxDB 1.x version header', async () => {
    const url = await requireInflux();
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-influxdb-version')).toMatch(/^v?1\./);
  });

  it('lists a freshly created database in SHOW DATABASES', async () => {
    const url = await requireInflux();
    await influxQuery(url, `CREATE DATABASE "${db}"`);
    created = true;
    const body = (await influxQuery(url, 'SHOW DATABASES')) as {
      results: Array<{ series?: Array<{ columns: string[]; values: string[][] }> }>;
    };
    const series = body.results[0]?.series?.[0];
    expect(series?.columns).toEqual(['name']);
    expect(series?.values.map((row) => row[0])).toContain(db);
  });

  it('requireInflux fails naming InfluxDB and the start script when nothing answers', async () => {
    const port = await closedTcpPort();
    await expect(requireInflux(`http://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`InfluxDB is not answering at http://127\\.0\\.0\\.1:${port}.*tests/services/start`),
    );
  });
});

describe('Mosquitto', () => {
  it('delivers a QoS 1 message published on a unique topic back to a subscriber', async () => {
    const url = await requireMosquitto();
    const topic = `netatlas/test/services/${randomUUID()}`;
    const payload = JSON.stringify({ clients: 7, at: Date.now() });
    const client = await mqtt.connectAsync(url, { connectTimeout: 5000, reconnectPeriod: 0 });
    try {
      const received = new Promise<{ topic: string; payload: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 10 s`)), 10_000);
        client.on('message', (t, buf) => {
          if (t !== topic) return;
          clearTimeout(timer);
          resolve({ topic: t, payload: buf.toString('utf8') });
        });
      });
      const granted = await client.subscribeAsync(topic, { qos: 1 });
      expect(granted[0]?.qos).toBe(1);
      await client.publishAsync(topic, payload, { qos: 1 });
      expect(await received).toEqual({ topic, payload });
    } finally {
      await client.endAsync();
    }
  });

  it('requireMosquitto fails naming the MQTT broker and the start script when nothing listens', async () => {
    const port = await closedTcpPort();
    await expect(requireMosquitto(`mqtt://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`Mosquitto \\(MQTT broker\\) is not answering at 127\\.0\\.0\\.1:${port}.*tests/services/start`),
    );
  });
});

describe('snmpd', () => {
  it('answers a v2c get of sysUpTime with community public', async () => {
    await requireSnmpAgent();
    const session = snmp.createSession(services.snmpHost, services.snmpCommunity, {
      port: services.snmpPort, version: snmp.Version2c, retries: 1, timeout: 2000,
    });
    try {
      const [vb] = await snmpGet(session, [SYS_UPTIME_OID]);
      expect(vb?.oid).toBe(SYS_UPTIME_OID);
      expect(vb?.type).toBe(snmp.ObjectType['TimeTicks']);
      expect(vb?.value).toBeGreaterThan(0);
    } finally {
      session.close();
    }
  });

  it('answers a v3 authPriv (SHA/AES) get of sysUpTime and IF-MIB ifHCInOctets for the loopback interface', async () => {
    await requireSnmpAgent();
    const user: User = {
      name: services.snmpV3User,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols['sha'],
      authKey: services.snmpV3AuthKey,
      privProtocol: snmp.PrivProtocols['aes'],
      privKey: services.snmpV3PrivKey,
    };
    const session = snmp.createV3Session(services.snmpHost, user, {
      port: services.snmpPort, retries: 1, timeout: 2000,
    });
    try {
      // ifIndex 1 is `lo` on Linux; ifName and ifHCInOctets come from ifXTable.
      const varbinds = await snmpGet(session, [SYS_UPTIME_OID, '1.3.6.1.2.1.31.1.1.1.1.1', '1.3.6.1.2.1.31.1.1.1.6.1']);
      expect(varbinds.map((vb) => snmp.isVarbindError(vb))).toEqual([false, false, false]);
      expect(varbinds[0]?.value).toBeGreaterThan(0);
      expect(String(varbinds[1]?.value)).toBe('lo');
      expect(varbinds[2]?.type).toBe(snmp.ObjectType['Counter64']);
    } finally {
      session.close();
    }
  });

  it('requireSnmpAgent fails naming snmpd and the start script when no agent answers', async () => {
    const port = await closedUdpPort();
    await expect(requireSnmpAgent('127.0.0.1', port, 'public')).rejects.toThrow(
      new RegExp(`snmpd \\(SNMP agent\\) is not answering at udp 127\\.0\\.0\\.1:${port}.*tests/services/start`),
    );
  });
});

describe('Chromium', () => {
  it('opens a data: URL headless through playwright-core and reads its title', async () => {
    const executablePath = await requireChromium();
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'netatlas-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto('data:text/html,<title>netatlas services check</title><p>ok</p>');
      expect(await page.title()).toBe('netatlas services check');
    } finally {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it('requireChromium fails naming Chromium and the start script when the executable is missing', async () => {
    const missing = path.join(os.tmpdir(), `no-chromium-${randomUUID()}`);
    await expect(requireChromium(missing)).rejects.toThrow(
      new RegExp(`Chromium is not installed at ${missing.replaceAll('/', '\\/')}.*tests/services/start`),
    );
  });
});
