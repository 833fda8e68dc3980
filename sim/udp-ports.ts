/**
 * Finding a block of free UDP ports on loopback for the simulated SNMP agents, so a second demo
 * (or snmpd, or a test) holding the default ports does not stop the simulator. The block is
 * contiguous so that "node i listens on base + i" stays true wherever the block lands.
 */
import dgram from 'node:dgram';

function bind(port: number, host: string): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => {
      sock.close();
      resolve(undefined);
    });
    sock.bind(port, host, () => resolve(sock));
  });
}

async function blockIsFree(base: number, count: number, host: string): Promise<boolean> {
  const held: dgram.Socket[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const s = await bind(base + i, host);
      if (!s) return false;
      held.push(s);
    }
    return true;
  } finally {
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/**
 * The first base >= `preferred` (stepping by `count`, at most `attempts` blocks) whose `count`
 * ports are all free; throws naming the range tried. A race with another process binding the
 * same ports in between is possible; the agents then fail to start with EADDRINUSE.
 */
export async function findFreeUdpBlock(preferred: number, count: number, host = '127.0.0.1', attempts = 40): Promise<number> {
  if (count === 0) return preferred;
  for (let k = 0; k < attempts; k++) {
    const base = preferred + k * count;
    if (base + count - 1 > 65535) break;
    if (await blockIsFree(base, count, host)) return base;
  }
  throw new Error(`simulator: no ${count} free UDP ports in a row on ${host} from ${preferred} (${attempts} blocks tried)`);
}
