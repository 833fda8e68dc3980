import zlib from 'node:zlib';

/**
 * CRC-32 (IEEE, the one zlib and gzip use) of a buffer. node:zlib has it natively since Node
 * 20.15 / 22.2; `engines` allows any Node 20, so older runtimes get a small table version.
 */
let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export function crc32(data: Uint8Array): number {
  return native ? native(data) >>> 0 : tableCrc32(data);
}

/** exported for the unit test that checks the fallback agrees with zlib */
export const crc32Fallback = tableCrc32;
