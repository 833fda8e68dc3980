/** Varbind values to plain values: Counter64 arrives as a Buffer, strings as Buffers. */
import snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';

export type SnmpValue = number | bigint | string;

const T = snmp.ObjectType as Record<string, number>;

/** Unsigned big-endian bytes of any length -> bigint. */
export function bufferToBigInt(buf: Buffer): bigint {
  // the common case in one call (16 Counter64 a poll for 8 interfaces); BigInt steps otherwise
  if (buf.length === 8) return buf.readBigUInt64BE(0);
  let v = 0n;
  for (const byte of buf) v = (v << 8n) | BigInt(byte);
  return v;
}

/** The value of a varbind, or undefined for error varbinds (noSuchObject, endOfMibView ...). */
export function decodeValue(vb: Varbind): SnmpValue | undefined {
  if (snmp.isVarbindError(vb)) return undefined;
  const v = vb.value;
  if (vb.type === T['Counter64']) {
    if (Buffer.isBuffer(v)) return bufferToBigInt(v);
    if (typeof v === 'number' || typeof v === 'bigint') return BigInt(v);
    return undefined;
  }
  if (Buffer.isBuffer(v)) return v.toString('utf8').replace(/\0+$/, '');
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'bigint') return v;
  return undefined;
}

export function asNumber(v: SnmpValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function asBigInt(v: SnmpValue | undefined): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}
