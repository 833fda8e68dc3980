/**
 * One net-snmp session per device, promisified, with errors sorted into what an operator needs:
 * no answer at all, an authentication failure (the agent answered with a REPORT), or an answer
 * we could not use (garbage, truncated, wrong PDU).
 */
import snmp from 'net-snmp';
import type { Session, Varbind } from 'net-snmp';
import type { SnmpAccess } from '../../server/inventory/device.js';

export type FailureKind = 'timeout' | 'auth' | 'bad-response' | 'agent-error';

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
}

const CODE = snmp.ResponseInvalidCode as Record<string, number>;

/** Sorts a net-snmp error. `parseErrors` > 0 means the agent sent datagrams we could not decode. */
export function classifyError(err: unknown, agent: string, parseErrors: number): SnmpPollError {
  if (err instanceof SnmpPollError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e instanceof snmp.RequestTimedOutError) {
    if (parseErrors > 0) {
      return new SnmpPollError('bad-response', `${parseErrors} undecodable response(s), then no valid answer`, agent, { cause: e });
    }
    return new SnmpPollError('timeout', 'no answer', agent, { cause: e });
  }
  if (e instanceof snmp.ResponseInvalidError) {
    const code = e.code;
    // EAuthFailure carries the REPORT's usmStats counter name (usmStatsUnknownUserNames,
    // usmStatsWrongDigests, usmStatsDecryptionErrors ...) or our own digest check failing.
    if (code === CODE['EAuthFailure'] || code === CODE['ECouldNotDecrypt'] || code === CODE['ENotInTimeWindow']) {
      return new SnmpPollError('auth', e.message.slice(0, 200), agent, { cause: e });
    }
    return new SnmpPollError('bad-response', e.message.slice(0, 200), agent, { cause: e });
  }
  if (e instanceof snmp.RequestFailedError) return new SnmpPollError('agent-error', e.message, agent, { cause: e });
  return new SnmpPollError('bad-response', e.message.slice(0, 200), agent, { cause: e });
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
    const parseErrorsBefore = this.parseErrors;
    return new Promise((resolve, reject) => {
      if (signal.aborted) { reject(signal.reason); return; }
      // net-snmp cannot cancel a request: on abort we stop waiting and let its timer run out.
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.session.getBulk(oids, nonRepeaters, maxRepetitions, (err, varbinds) => {
          signal.removeEventListener('abort', onAbort);
          if (err) reject(classifyError(err, this.agent, this.parseErrors - parseErrorsBefore));
          else resolve(varbinds);
        });
      } catch (err) {
        signal.removeEventListener('abort', onAbort);
        reject(classifyError(err, this.agent, 0));
      }
    });
  }

  /** GET; same error handling as getBulk. */
  get(oids: string[], signal: AbortSignal): Promise<Varbind[]> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) { reject(signal.reason); return; }
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.session.get(oids, (err, varbinds) => {
          signal.removeEventListener('abort', onAbort);
          if (err) reject(classifyError(err, this.agent, 0));
          else resolve(varbinds);
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
