/**
 * A loopback TCP proxy in front of the broker, for the collector only: cut() destroys every
 * connection through it and refuses new ones (accepted, then closed at once) until restore(), so
 * the collector loses its broker while its process lives and the APs (connected directly) carry on.
 */
import net from 'node:net';

export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private cutOff = false;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.cutOff) { client.destroy(); return; }
      const upstream = net.connect(target);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const drop = (): void => { client.destroy(); upstream.destroy(); this.pairs.delete(pair); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const p = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => { p.server.once('error', reject); p.server.listen(0, '127.0.0.1', () => resolve()); });
    return p;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  cut(): void {
    this.cutOff = true;
    for (const [a, b] of this.pairs) { a.destroy(); b.destroy(); }
    this.pairs.clear();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
