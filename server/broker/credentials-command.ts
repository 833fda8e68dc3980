/**
 * `netatlas broker-credentials`: the Mosquitto password file of the inventory's access points
 * (server/broker/credentials.ts), and optionally the CSV of their passwords for provisioning.
 * Files are written 0600, aside and renamed, so Mosquitto never reads half a file.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../io/atomic-write.js';
import type { CliIo } from '../cli.js';
import { ConfigError, loadConfig } from '../config.js';
import { parseInventoryText } from '../inventory/devices-schema.js';
import { apCredentials, passwordFile, provisioningCsv } from './credentials.js';

export interface BrokerCredentialsOptions {
  /** devices file; default the config's inventory.devicesFile */
  devices?: string;
  config?: string;
  /** file holding the secret the passwords derive from (its first line) */
  secretFile: string;
  /** password file to write; default stdout */
  out?: string;
  /** CSV of device,user,password to write */
  passwords?: string;
}

function writeSecretFile(file: string, text: string): void {
  writeFileAtomicSync(file, text, { mode: 0o600 });
}

export function brokerCredentialsCommand(options: BrokerCredentialsOptions, io: CliIo): void {
  const fail = (lines: readonly string[]): void => {
    for (const l of lines) io.err(l);
    io.setExitCode(1);
  };
  let devicesFile = options.devices;
  if (devicesFile === undefined) {
    try {
      devicesFile = loadConfig({ file: options.config, env: io.env }).inventory.devicesFile;
    } catch (err) {
      if (err instanceof ConfigError) return fail(err.issues);
      throw err;
    }
    if (devicesFile === undefined) return fail(['netatlas broker-credentials: no devices file: pass --devices FILE or a config with inventory.devicesFile']);
  }
  let secret: string;
  let text: string;
  try {
    secret = (readFileSync(options.secretFile, 'utf8').split('\n')[0] ?? '').trim();
  } catch (err) {
    return fail([`${options.secretFile}: cannot read the secret: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  try {
    text = readFileSync(devicesFile, 'utf8');
  } catch (err) {
    return fail([`${devicesFile}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  const parsed = parseInventoryText(text, devicesFile);
  if (!parsed.ok) return fail(parsed.errors.map((e) => `${devicesFile}: ${e}`));
  const result = apCredentials(parsed.value.devices, secret);
  if (!result.ok) return fail(result.errors.map((e) => `${devicesFile}: ${e}`));
  const entries = passwordFile(result.credentials);
  if (options.out !== undefined) writeSecretFile(options.out, entries);
  else io.out(entries.trimEnd());
  if (options.passwords !== undefined) writeSecretFile(options.passwords, provisioningCsv(result.credentials));
  // on stderr, so that stdout stays a clean password file when it is one
  io.err(`${result.credentials.length} access points: password file ${options.out ?? 'on stdout'}${options.passwords !== undefined ? `, passwords for provisioning in ${options.passwords}` : ''}`);
  io.setExitCode(0);
}
