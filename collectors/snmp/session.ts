/**
 * One net-snmp session per device, promisified, with errors sorted into what an operator needs:
 * no answer at all or answers we could not use (the device is down), and answers that say we may
 * not read it (the device is there but unreadable for a reason of ours: credentials, a MIB view).
 */
import snmp from 'net-snmp';
import type { Session, Varbind } from 'net-snmp';
import type { SnmpAccess } from '../../core/device.js';

/**
 * Down: `timeout` (no answer), `bad-response` (garbage, truncated, wrong PDU, a walk that never
 * ends), `agent-error` (an error status other than an access refusal).
 * Unreadable (the agent answered; the fault is our configuration): `auth` (usmStatsWrongDigests,
 * usmStatsUnknownUserNames, unsupported security level, our digest check failing), `privacy`
 * (decryption errors), `time-window` (not in time window, still after a resynchronised retry),
 * `access` (noAccess / authorizationError status), `view` (a MIB view hides sysUpTime or the
 * interface table).
 */
export type FailureKind = 'timeout' | 'bad-response' | 'agent-error' | 'auth' | 'privacy' | 'time-window' | 'access' | 'view';

const UNREADABLE: ReadonlySet<FailureKind> = new Set(['auth', 'privacy', 'time-window', 'access', 'view']);

/** true for failures where the agent answered but we may not read it: unknown, never down */
export function isUnreadableKind(kind: FailureKind): boolean {
  return UNREADABLE.has(kind);
}

/** A poll failure with the device it concerns (DESIGN.md convention 4). */
export class SnmpPollError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly detail: string,
    readonly agent: string,
    options?: { cause?: unknown },
  ) {
    super(`agent ${agent}: ${kind}: ${detail}`, options);
    this.name = 'SnmpPollError';
  }

  get unreadable(): boolean {
    return isUnreadableKind(this.kind);
  }
}

const CODE = snmp.ResponseInvalidCode as Record<string, number>;
const STATUS = snmp.ErrorStatus as Record<string, number>;

/** EAuthFailure carries the REPORT's usmStats counter name, or our own digest check's message. */
function usmKind(message: string): FailureKind {
  if (/^Decryption Error/i.test(message)) return 'privacy';
  if (/^Not In Time Window/i.test(message)) return 'time-window';
  return 'auth';
}

/** Sorts a net-snmp error. `parseErrors` > 0 means the agent sent datagrams we could not decode. */
export function classifyError(err: unknown, agent: string, parseErrors: number): SnmpPollError {
  if (err instanceof SnmpPollError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const detail = e.message.slice(0, 200);
  if (e instanceof snmp.RequestTimedOutError) {
    if (parseErrors > 0) {
      return new SnmpPollError('bad-response', `${parseErrors} undecodable response(s), then no valid answer`, agent, { cause: e });
    }
    return new SnmpPollError('timeout', 'no answer', agent, { cause: e });
  }
  if (e instanceof snmp.ResponseInvalidError) {
    const code = e.code;
    if (code === CODE['EAuthFailure']) return new SnmpPollError(usmKind(e.message), detail, agent, { cause: e });
    if (code === CODE['ECouldNotDecrypt']) return new SnmpPollError('privacy', detail, agent, { cause: e });
    if (code === CODE['ENotInTimeWindow']) return new SnmpPollError('time-window', detail, agent, { cause: e });
    return new SnmpPollError('bad-response', detail, agent, { cause: e });
  }
  if (e instanceof snmp.RequestFailedError) {
    // An agent that refuses access (v2c: a community without access to these objects) answered.
    const refused = e.status === STATUS['NoAccess'] || e.status === STATUS['AuthorizationError'];
    return new SnmpPollError(refused ? 'access' : 'agent-error', e.message, agent, { cause: e });
  }
  return new SnmpPollError('bad-response', detail, agent, { cause: e });
}

export interface SessionOptions {
  timeoutMs: number;
  retries: number;
  defaultCommunity?: string | undefined;
}

const LEVEL = { noAuthNoPriv: snmp.SecurityLevel.noAuthNoPriv, authNoPriv: snmp.SecurityLevel.authNoPriv, authPriv: snmp.SecurityLevel.authPriv } as const;

/** A device's session plus the count of undecodable datagrams it received (garbage answers). */
export class DeviceSession {
  private readonly session: Session;
  parseErrors = 0;
  readonly agent: string;

  constructor(access: SnmpAccess, opts: SessionOptions, onParseError: (err: Error) => void) {
    this.agent = `${access.host}:${access.port}`;
    const common = { port: access.port, timeout: opts.timeoutMs, retries: opts.retries, backoff: 1, idBitsSize: 32 as const };
    if (access.version === '2c') {
      const community = access.community || opts.defaultCommunity || 'public';
      this.session = snmp.createSession(access.host, community, { ...common, version: snmp.Version2c });
    } else {
      this.session = snmp.createV3Session(access.host, {
        name: access.user,
        level: LEVEL[access.level],
        ...(access.level !== 'noAuthNoPriv' ? { authProtocol: snmp.AuthProtocols[access.authProtocol ?? 'sha'], authKey: access.authKey ?? '' } : {}),
        ...(access.level === 'authPriv' ? { privProtocol: snmp.PrivProtocols[access.privProtocol ?? 'aes'], privKey: access.privKey ?? '' } : {}),
      }, { ...common, version: snmp.Version3 });
    }
    // net-snmp emits 'error' for datagrams it cannot decode; without a listener that would throw.
    this.session.on('error', (err: Error) => {
      this.parseErrors++;
      onParseError(err);
    });
  }

  /** GETBULK; rejects with a classified SnmpPollError, or the signal's reason when aborted. */
  getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, signal: AbortSignal): Promise<Array<Varbind | Varbind[]>> {
    return this.request((cb) => this.session.getBulk(oids, nonRepeaters, maxRepetitions, cb), signal, true);
  }

  /** GET; same error handling as getBulk. */
  get(oids: string[], signal: AbortSignal): Promise<Varbind[]> {
    return this.request((cb) => this.session.get(oids, cb), signal, false);
  }

  /**
   * One request, tried a second time when it failed "not in time window": the REPORT (or the
   * answer) that said so also resynchronised net-snmp's notion of the agent's engine time (an
   * agent that rebooted), so only a problem that persists reaches the caller.
   */
  private async request<T>(send: (cb: (err: Error | null, result: T) => void) => void, signal: AbortSignal, countParseErrors: boolean): Promise<T> {
    try {
      return await this.once(send, signal, countParseErrors);
    } catch (err) {
      if (!(err instanceof SnmpPollError) || err.kind !== 'time-window' || signal.aborted) throw err;
      return this.once(send, signal, countParseErrors);
    }
  }

  private once<T>(send: (cb: (err: Error | null, result: T) => void) => void, signal: AbortSignal, countParseErrors: boolean): Promise<T> {
    const parseErrorsBefore = this.parseErrors;
    return new Promise((resolve, reject) => {
      if (signal.aborted) { reject(signal.reason); return; }
      // net-snmp cannot cancel a request: on abort we stop waiting and let its timer run out.
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        send((err, result) => {
          signal.removeEventListener('abort', onAbort);
          if (err) reject(classifyError(err, this.agent, countParseErrors ? this.parseErrors - parseErrorsBefore : 0));
          else resolve(result);
        });
      } catch (err) {
        signal.removeEventListener('abort', onAbort);
        reject(classifyError(err, this.agent, 0));
      }
    });
  }

  close(): void {
    try { this.session.close(); } catch { /* already closed */ }
  }
}
