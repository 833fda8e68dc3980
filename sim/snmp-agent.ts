/**
 * A simulated SNMP agent (net-snmp's Agent) for tests, the demo and the benchmarks: the system
 * group, IF-MIB ifTable/ifXTable for a configurable interface count with advancing counters,
 * optional ENTITY-SENSOR-MIB optical levels, v2c communities and v3 users. Fault modes: `slow`
 * (answers after a delay), `silent` (never answers), `garbage` and `truncated` (answers bytes no
 * SNMP decoder accepts; a raw UDP responder, since the Agent only sends well-formed messages).
 * `hide` leaves objects out of the MIB, as an agent whose view hides them answers (noSuchObject,
 * endOfMibView, the next visible object).
 * Many agents run in one process, each on its own loopback port.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import snmp from 'net-snmp';
import type { Agent, MibRequest, User } from 'net-snmp';
import { SimDeviceState, type SimDeviceStateOptions } from './snmp-device-state.js';
import { registerSimMib } from './snmp-mib.js';
import { useRfcGetBulk } from './snmp-bulk-fix.js';

export type SimAgentMode = 'normal' | 'slow' | 'silent' | 'garbage' | 'truncated';

export interface SimV3User {
  name: string;
  level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: 'md5' | 'sha' | 'sha256' | 'sha512';
  authKey?: string;
  privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
  privKey?: string;
}

export interface SimAgentOptions extends Partial<SimDeviceStateOptions> {
  port: number;
  address?: string;
  community?: string;
  v3Users?: SimV3User[];
  /** serve ifHCInOctets/ifHCOutOctets (default true); false: a device with 32-bit counters only */
  hc?: boolean;
  /** serve two dBm sensors (rx/tx) for the first interface */
  optical?: boolean;
  mode?: SimAgentMode;
  /** delay of `slow` mode */
  delayMs?: number;
  /** leave these out of the MIB, like a view that hides them: the system group, or ifTable and ifXTable */
  hide?: Array<'system' | 'interfaces'>;
}

const HIDDEN_PROVIDERS: Record<'system' | 'interfaces', string[]> = {
  system: ['sysDescr', 'sysUpTime', 'sysName'],
  interfaces: ['ifTable', 'ifXTable'],
};

function toUser(u: SimV3User): User {
  return {
    name: u.name,
    level: snmp.SecurityLevel[u.level],
    ...(u.authProtocol ? { authProtocol: snmp.AuthProtocols[u.authProtocol], authKey: u.authKey ?? '' } : {}),
    ...(u.privProtocol ? { privProtocol: snmp.PrivProtocols[u.privProtocol], privKey: u.privKey ?? '' } : {}),
  };
}

export class SimAgent {
  readonly state: SimDeviceState;
  readonly port: number;
  readonly address: string;
  private agent: Agent | undefined;
  private raw: dgram.Socket | undefined;
  /** Slow answers waiting for their delay (cleared on close). */
  private readonly delayed = new Set<NodeJS.Timeout>();
  private modeNow: SimAgentMode = 'normal';
  /** requests seen by the raw responder (silent/garbage/truncated) */
  rawRequests = 0;
  delayMs: number;

  private constructor(private readonly opts: SimAgentOptions) {
    this.port = opts.port;
    this.address = opts.address ?? '127.0.0.1';
    this.delayMs = opts.delayMs ?? 0;
    this.state = new SimDeviceState({
      sysName: opts.sysName ?? `sim-${opts.port}`,
      interfaces: opts.interfaces ?? 8,
      ...(opts.octetsPerSecond !== undefined ? { octetsPerSecond: opts.octetsPerSecond } : {}),
      ...(opts.initialOctets !== undefined ? { initialOctets: opts.initialOctets } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  static async start(opts: SimAgentOptions): Promise<SimAgent> {
    const a = new SimAgent(opts);
    await a.setMode(opts.mode ?? 'normal');
    return a;
  }

  get mode(): SimAgentMode {
    return this.modeNow;
  }

  /** Switches fault mode; binds the port with the Agent or with the raw responder as needed. */
  async setMode(mode: SimAgentMode): Promise<void> {
    const wantAgent = mode === 'normal' || mode === 'slow';
    this.modeNow = mode;
    if (wantAgent && this.agent) return;
    if (!wantAgent && this.raw) return;
    await this.unbind();
    if (wantAgent) this.agent = await this.startAgent();
    else this.raw = await this.startRaw();
  }

  reboot(): void {
    this.state.reboot();
  }

  async close(): Promise<void> {
    await this.unbind();
  }

  private async unbind(): Promise<void> {
    const agent = this.agent, raw = this.raw;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    this.agent = undefined;
    this.raw = undefined;
    if (agent) await new Promise<void>((r) => agent.close(() => r()));
    if (raw) await new Promise<void>((r) => raw.close(() => r()));
  }

  private startAgent(): Promise<Agent> {
    return new Promise((resolve, reject) => {
      // Errors here are requests the agent refused (wrong community, unknown user): that is the
      // behaviour under test, not a simulator failure.
      const agent = snmp.createAgent({ port: this.port, address: this.address, disableAuthorization: false }, () => {});
      useRfcGetBulk(agent);
      const auth = agent.getAuthorizer();
      auth.addCommunity(this.opts.community ?? 'public');
      for (const u of this.opts.v3Users ?? []) auth.addUser(toUser(u));
      registerSimMib(agent.getMib(), this.state, {
        hc: this.opts.hc ?? true,
        optical: this.opts.optical ?? false,
        wrap: (handler) => (req: MibRequest) => {
          // A slow answer still pending when the agent closes must not be sent on the closed
          // socket (net-snmp throws ERR_SOCKET_DGRAM_NOT_RUNNING from a timer: uncatchable).
          if (this.modeNow === 'slow' && this.delayMs > 0) {
            const timer = setTimeout(() => { this.delayed.delete(timer); handler(req); }, this.delayMs);
            this.delayed.add(timer);
          }
          else handler(req);
        },
      });
      for (const part of this.opts.hide ?? []) for (const name of HIDDEN_PROVIDERS[part]) agent.getMib().unregisterProvider(name);
      // net-snmp binds asynchronously and reports bind errors through its socket; wait for it.
      const sockets = (agent as unknown as { listener?: { sockets?: Record<string, dgram.Socket> } }).listener?.sockets;
      const sock = sockets ? Object.values(sockets)[0] : undefined;
      if (!sock) { resolve(agent); return; }
      sock.once('listening', () => resolve(agent));
      sock.once('error', reject);
    });
  }

  private startRaw(): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket('udp4');
      sock.on('message', (msg, rinfo) => {
        this.rawRequests++;
        if (this.modeNow === 'silent') return;
        // garbage: random bytes behind a tag no SNMP message starts with (so it never decodes by
        // chance); truncated: a plausible SNMP message cut short mid-way.
        const reply = this.modeNow === 'garbage'
          ? Buffer.concat([Buffer.from([0xff]), randomBytes(47)])
          : msg.subarray(0, Math.max(4, Math.floor(msg.length / 2)));
        sock.send(reply, rinfo.port, rinfo.address);
      });
      sock.once('error', reject);
      sock.bind(this.port, this.address, () => resolve(sock));
    });
  }
}

/** Starts `count` agents on consecutive ports from `basePort`; options per index. */
export async function startSimAgents(count: number, basePort: number, per: (i: number) => Partial<SimAgentOptions> = () => ({})): Promise<SimAgent[]> {
  const agents: SimAgent[] = [];
  try {
    for (let i = 0; i < count; i++) agents.push(await SimAgent.start({ port: basePort + i, ...per(i) }));
  } catch (err) {
    await Promise.all(agents.map((a) => a.close()));
    throw err;
  }
  return agents;
}
