/**
 * net-snmp 3.29's Agent answers a GETBULK with at most `max-repetitions` varbinds in total, not
 * `max-repetitions` rows of every repeated column as RFC 3416 section 4.2.3 says. Real agents
 * (snmpd, switches) do the latter, so the simulator would make every client look slower than on a
 * real network. This replaces the agent's GETBULK handler, on our agent instances only, with the
 * RFC behaviour, using the agent's own getNext step. Capped at MAX_VARBINDS so a response stays
 * well under the 64 KiB UDP limit.
 */
import type { Agent } from 'net-snmp';

const MAX_VARBINDS = 1000;

interface Vb { oid: string; type: number; previousOid?: string; value?: unknown }
interface BulkPdu { nonRepeaters: number; maxRepetitions: number; varbinds: Vb[] }
interface AgentInternals {
  addGetNextVarbind(target: Vb[], startOid: string): Vb | undefined;
  request(socket: unknown, message: { pdu: BulkPdu }, rinfo: unknown): void;
  getBulkRequest(socket: unknown, message: { pdu: BulkPdu }, rinfo: unknown): void;
}

const END_OF_MIB_VIEW = 130;

export function useRfcGetBulk(agent: Agent): void {
  const a = agent as unknown as AgentInternals;
  a.getBulkRequest = function getBulkRequest(socket, message, rinfo) {
    const pdu = message.pdu;
    const req = pdu.varbinds;
    const nonRep = Math.max(0, Math.min(pdu.nonRepeaters, req.length));
    const out: Vb[] = [];
    for (let n = 0; n < nonRep; n++) this.addGetNextVarbind(out, (req[n] as Vb).oid);
    const cursors = req.slice(nonRep).map((v) => v.oid);
    const ended = cursors.map(() => false);
    for (let r = 0; r < pdu.maxRepetitions && cursors.length > 0; r++) {
      if (out.length + cursors.length > MAX_VARBINDS) break;
      if (ended.every(Boolean)) break;
      for (let c = 0; c < cursors.length; c++) {
        // RFC 3416: once a column hits endOfMibView, later repetitions repeat endOfMibView.
        if (ended[c]) { out.push({ previousOid: cursors[c] as string, oid: cursors[c] as string, type: END_OF_MIB_VIEW, value: null }); continue; }
        const next = this.addGetNextVarbind(out, cursors[c] as string);
        if (!next) { ended[c] = true; continue; }
        cursors[c] = next.oid;
        if (next.type === END_OF_MIB_VIEW) ended[c] = true;
      }
    }
    pdu.varbinds = out;
    this.request(socket, message, rinfo);
  };
}
