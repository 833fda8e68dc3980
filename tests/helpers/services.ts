/**
 * Where the tests find the real services. `tests/services/start` (run by `npm test`) starts them
 * on loopback; these variables let a developer point the tests elsewhere on loopback.
 * A test that needs a service calls the matching `require*` helper, which fails loudly, naming the
 * service and how to start it, when the service does not answer. Tests never skip.
 */
import net from 'node:net';

export const services = {
  influxUrl: process.env['NETATLAS_TEST_INFLUX_URL'] ?? 'http://127.0.0.1:8086',
  mqttUrl: process.env['NETATLAS_TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883',
  snmpHost: process.env['NETATLAS_TEST_SNMP_HOST'] ?? '127.0.0.1',
  snmpPort: Number(process.env['NETATLAS_TEST_SNMP_PORT'] ?? 1161),
  snmpCommunity: process.env['NETATLAS_TEST_SNMP_COMMUNITY'] ?? 'public',
  snmpV3User: process.env['NETATLAS_TEST_SNMP_V3_USER'] ?? 'netatlas',
  snmpV3AuthKey: process.env['NETATLAS_TEST_SNMP_V3_AUTH'] ?? 'netatlas-auth-pass',
  snmpV3PrivKey: process.env['NETATLAS_TEST_SNMP_V3_PRIV'] ?? 'netatlas-priv-pass',
  /** a second v3 authPriv user, SHA-256/AES, with the same auth and priv keys as snmpV3User */
  snmpV3Sha256User: process.env['NETATLAS_TEST_SNMP_V3_SHA256_USER'] ?? 'netatlas256',
  chromiumPath: process.env['NETATLAS_TEST_CHROMIUM'] ?? '/usr/bin/chromium',
} as const;

const HOW = 'run `bash tests/services/start` (npm test does this first)';

export async function requireInflux(url: string = services.influxUrl): Promise<string> {
  try {
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(3000) });
    if (res.status !== 204 && res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return url;
  } catch (err) {
    throw new Error(`InfluxDB is not answering at ${url} (${(err as Error).message}): ${HOW}`);
  }
}

export async function requireTcp(name: string, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(3000);
    sock.once('connect', () => { sock.destroy(); resolve(); });
    sock.once('timeout', () => { sock.destroy(); reject(new Error('timeout')); });
    sock.once('error', reject);
  }).catch((err: Error) => {
    throw new Error(`${name} is not answering at ${host}:${port} (${err.message}): ${HOW}`);
  });
}

export async function requireMosquitto(url: string = services.mqttUrl): Promise<string> {
  const u = new URL(url);
  await requireTcp('Mosquitto (MQTT broker)', u.hostname, Number(u.port || 1883));
  return url;
}

/** The sysUpTime.0 OID: every SNMP agent serves it, so a get of it says the agent answers. */
export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';

/**
 * Fails naming snmpd unless an SNMP agent answers a v2c get of sysUpTime at host:port.
 * net-snmp is imported lazily so test files that never touch SNMP do not load it.
 */
export async function requireSnmpAgent(
  host: string = services.snmpHost,
  port: number = services.snmpPort,
  community: string = services.snmpCommunity,
): Promise<void> {
  const { default: snmp } = await import('net-snmp');
  const session = snmp.createSession(host, community, { port, version: snmp.Version2c, retries: 1, timeout: 1500 });
  try {
    await new Promise<void>((resolve, reject) => {
      session.get([SYS_UPTIME_OID], (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    throw new Error(
      `snmpd (SNMP agent) is not answering at udp ${host}:${port} with community '${community}' ` +
      `(${(err as Error).message}): ${HOW}`,
    );
  } finally {
    session.close();
  }
}

/** Fails naming Chromium unless the browser executable exists and is executable. */
export async function requireChromium(path: string = services.chromiumPath): Promise<string> {
  const { access, constants } = await import('node:fs/promises');
  try {
    await access(path, constants.X_OK);
    return path;
  } catch (err) {
    throw new Error(
      `Chromium is not installed at ${path} (${(err as Error).message}): ${HOW} ` +
      '(on Debian as root it installs the chromium package), or set NETATLAS_TEST_CHROMIUM',
    );
  }
}
