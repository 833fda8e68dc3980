/**
 * TLS files for the broker connection. They are read once, when the collector is created, so a
 * missing or unreadable file stops start-up with the key and the path instead of surfacing later
 * as a failed connection (or, worse, a collector that never started while the service runs on).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';

export interface TlsFiles {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Why `file` cannot be used as a PEM file, or undefined when it can be read. */
export function unreadableFileReason(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return `${file} is not a file`;
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return `cannot read ${file} (${code})`;
  }
}

/** Reads the configured files; throws an Error naming the config key (`tls.caFile`) and the path. */
export function readTlsFiles(tls: TlsFiles, keyPrefix = 'collectors.mqtt.tls'): TlsMaterial {
  const out: TlsMaterial = {};
  const read = (key: keyof TlsFiles, file: string | undefined): Buffer | undefined => {
    if (file === undefined) return undefined;
    const reason = unreadableFileReason(file);
    if (reason) throw new Error(`${keyPrefix}.${key}: ${reason}`);
    return readFileSync(file);
  };
  const ca = read('caFile', tls.caFile);
  const cert = read('certFile', tls.certFile);
  const key = read('keyFile', tls.keyFile);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}
