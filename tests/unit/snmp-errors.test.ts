/**
 * How a failed SNMP request is sorted: down (no answer, garbage, an agent error) or unreadable
 * (the agent answered but our credentials or its view keep us out). The errors are net-snmp's own
 * classes with the messages and codes net-snmp gives them (node_modules/net-snmp/index.js:
 * userSecurityModelError, processIncomingSecurity, onMsg); the REPORT cases are also exercised
 * against the real snmpd in tests/integration/snmp-auth.test.ts.
 */
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import type { Varbind } from 'net-snmp';
import { classifyError, DeviceSession, isUnreadableKind, SnmpPollError } from '../../collectors/snmp/session.js';

const invalid = (message: string, code: string): Error => Object.assign(new snmp.ResponseInvalidError(message), { code: snmp.ResponseInvalidCode[code] });
const failed = (status: string): Error => Object.assign(new snmp.RequestFailedError(status), { status: snmp.ErrorStatus[status] });
const sort = (err: Error, parseErrors = 0) => {
  const e = classifyError(err, '10.0.0.1:161', parseErrors);
  return { kind: e.kind, unreadable: e.unreadable, detail: e.detail };
};

describe('classifyError', () => {
  it('keeps no answer and garbage down', () => {
    expect(sort(new snmp.RequestTimedOutError('Request timed out'))).toEqual({ kind: 'timeout', unreadable: false, detail: 'no answer' });
    expect(sort(new snmp.RequestTimedOutError('Request timed out'), 2)).toEqual({ kind: 'bad-response', unreadable: false, detail: '2 undecodable response(s), then no valid answer' });
    expect(sort(invalid("Unknown PDU type '99' in response", 'EUnknownPduType'))).toMatchObject({ kind: 'bad-response', unreadable: false });
    expect(sort(failed('GeneralError'))).toMatchObject({ kind: 'agent-error', unreadable: false });
  });

  it('makes REPORTs about our credentials unreadable: wrong digest, unknown user, unsupported level', () => {
    expect(sort(invalid('Wrong Digest (incorrect password, community or key)', 'EAuthFailure')))
      .toEqual({ kind: 'auth', unreadable: true, detail: 'Wrong Digest (incorrect password, community or key)' });
    expect(sort(invalid('Unknown User Name', 'EAuthFailure'))).toMatchObject({ kind: 'auth', unreadable: true });
    expect(sort(invalid('Unsupported Security Level', 'EAuthFailure'))).toMatchObject({ kind: 'auth', unreadable: true });
    // our own digest check on an answer failing: the keys differ
    expect(sort(invalid('Authentication digest 00 received in message does not match digest 01 calculated for message', 'EAuthFailure')))
      .toMatchObject({ kind: 'auth', unreadable: true });
  });

  it('makes decryption and time-window failures unreadable with their own kinds', () => {
    expect(sort(invalid('Decryption Error', 'EAuthFailure'))).toMatchObject({ kind: 'privacy', unreadable: true });
    expect(sort(invalid('Failed to decrypt PDU: bad decrypt', 'ECouldNotDecrypt'))).toMatchObject({ kind: 'privacy', unreadable: true });
    expect(sort(invalid('Not In Time Window', 'EAuthFailure'))).toMatchObject({ kind: 'time-window', unreadable: true });
    expect(sort(invalid("Message with engineBoots '3' ... is outside the time window", 'ENotInTimeWindow'))).toMatchObject({ kind: 'time-window', unreadable: true });
  });

  it('makes an access refusal unreadable', () => {
    expect(sort(failed('NoAccess'))).toMatchObject({ kind: 'access', unreadable: true });
    expect(sort(failed('AuthorizationError'))).toMatchObject({ kind: 'access', unreadable: true });
  });

  it('lists exactly the unreadable kinds', () => {
    const kinds = ['timeout', 'bad-response', 'agent-error', 'auth', 'privacy', 'time-window', 'access', 'view'] as const;
    expect(kinds.filter(isUnreadableKind)).toEqual(['auth', 'privacy', 'time-window', 'access', 'view']);
  });
});

describe('DeviceSession and the time window', () => {
  /**
   * A session whose net-snmp session is replaced by a scripted one (fault injection: no agent can
   * be told to answer "not in time window" on demand): each call answers the next scripted result.
   */
  function scripted(results: Array<Error | Varbind[]>): { session: DeviceSession; calls: () => number } {
    const session = new DeviceSession({ host: '127.0.0.1', port: 9, version: '2c', community: 'public' }, { timeoutMs: 100, retries: 0 }, () => {});
    session.close(); // the real socket is not used
    let calls = 0;
    const fake = {
      get: (_oids: string[], cb: (err: Error | null, vbs: Varbind[]) => void) => {
        const r = results[Math.min(calls++, results.length - 1)]!;
        if (r instanceof Error) cb(r, []); else cb(null, r);
      },
      close: () => {},
    };
    (session as unknown as { session: typeof fake }).session = fake;
    return { session, calls: () => calls };
  }
  const vb: Varbind = { oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 42 };
  const notInWindow = () => invalid('Not In Time Window', 'EAuthFailure');

  it('retries once a request the agent said was not in its time window (net-snmp resynchronised on that REPORT)', async () => {
    const { session, calls } = scripted([notInWindow(), [vb]]);
    expect(await session.get([vb.oid], new AbortController().signal)).toEqual([vb]);
    expect(calls()).toBe(2);
  });

  it('reports a time-window problem that persists after the retry as unreadable', async () => {
    const { session, calls } = scripted([notInWindow()]);
    const err = await session.get([vb.oid], new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnmpPollError);
    expect(err).toMatchObject({ kind: 'time-window', unreadable: true, detail: 'Not In Time Window' });
    expect(calls()).toBe(2);
  });

  it('does not retry other failures', async () => {
    const { session, calls } = scripted([invalid('Wrong Digest (incorrect password, community or key)', 'EAuthFailure'), [vb]]);
    await expect(session.get([vb.oid], new AbortController().signal)).rejects.toMatchObject({ kind: 'auth' });
    expect(calls()).toBe(1);
  });
});
