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
