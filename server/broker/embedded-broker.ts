/**
 * The embedded MQTT broker: with no broker URL configured, netatlas starts an `aedes` broker in
 * its own process so that wifi APs (and the simulator) have somewhere to publish. It listens on a
 * configurable port (default 1883); when that port is taken (a system Mosquitto, a second netatlas
 * instance) it takes the next free one and logs it, so instances run side by side.
 *
 * aedes speaks MQTT 3.1.1 (not 5): clients of this broker use protocolVersion 4. Sessions and
 * queued QoS 1 messages live in aedes' memory persistence, which is enough in-process: the broker
 * and the collector share one lifetime.
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import { silentLogger, type Logger } from '../../core/log.js';

export interface EmbeddedBrokerOptions {
  /** preferred TCP port; default 1883 */
  port?: number;
  /** interface to listen on; default 127.0.0.1 (APs on other hosts need 0.0.0.0) */
  host?: string;
  /** how many ports above `port` to try before giving up; default 50 */
  maxPortAttempts?: number;
  log?: Logger;
}

export interface EmbeddedBroker {
  /** e.g. mqtt://127.0.0.1:1884 */
  readonly url: string;
  readonly port: number;
  /** MQTT protocol version clients must use (aedes 1.x: 3.1.1) */
  readonly protocolVersion: 4;
  connectedClients(): number;
  close(): Promise<void>;
}

function listenOnce(server: net.Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const preferred = options.port ?? 1883;
  const attempts = options.maxPortAttempts ?? 50;

  const aedes = await Aedes.createBroker();
  aedes.on('clientError', (client, err) => log.debug({ client: client.id, err: err.message }, 'embedded broker: client error'));
  const server = net.createServer(aedes.handle);

  let port = -1;
  for (let i = 0; i < attempts; i++) {
    // port 0 means "any free port": one attempt is enough
    const candidate = preferred === 0 ? 0 : preferred + i;
    if (candidate > 65535) break;
    if (await listenOnce(server, candidate, host)) {
      port = (server.address() as net.AddressInfo).port;
      break;
    }
    if (preferred === 0) break;
  }
  if (port < 0) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw new Error(`embedded MQTT broker: no free port in ${preferred}..${preferred + attempts - 1} on ${host}`);
  }
  if (port !== preferred && preferred !== 0) {
    log.warn({ preferredPort: preferred, port }, 'embedded MQTT broker: preferred port taken, using the next free one');
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `mqtt://${urlHost}:${port}`;
  log.info({ url }, 'embedded MQTT broker listening');

  let closed = false;
  return {
    url,
    port,
    protocolVersion: 4,
    connectedClients: () => aedes.connectedClients,
    async close() {
      if (closed) return;
      closed = true;
      // aedes.close() disconnects the clients; the server then has no open sockets to wait for
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
