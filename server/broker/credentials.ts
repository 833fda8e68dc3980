/**
 * One MQTT identity per access point: `netatlas broker-credentials` writes Mosquitto password-file
 * entries for every wifi AP of the inventory, user = the AP's MQTT id (inventory `mqttId`, else its
 * id). With the shipped ACL (`pattern write netatlas/wifi/%u/…`, deploy/mosquitto/acl) an AP can
 * then publish only under its own id: it cannot mark another AP down.
 *
 * Passwords are derived, not stored: HMAC-SHA256(secret, "netatlas-mqtt-ap:" + id), base64url, 24
 * characters (144 bits). Running the command again with the same secret (after adding APs) gives
 * the same password to every existing AP, so nothing has to be re-provisioned; a new secret
 * rotates them all. The entries use Mosquitto 2's own format, `$7$` = PBKDF2-SHA512 with a
 * random 12-byte salt, so the file is written without `mosquitto_passwd`.
 */
import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Device } from '../../core/device.js';

export interface ApCredential {
  device: string;
  /** the MQTT username: the AP's MQTT id */
  user: string;
  password: string;
}

/** PBKDF2 rounds of each entry: checked on every AP login, so kept affordable (mosquitto_passwd 2.0 uses 101) */
export const PBKDF2_ITERATIONS = 1000;
export const MIN_SECRET_LENGTH = 16;

/** Why `user` cannot be an MQTT username under the ACL patterns, or undefined when it can. */
export function badUsername(user: string): string | undefined {
  if (user.length === 0) return 'is empty';
  // Mosquitto refuses %u substitution for names with + or # (they would widen the pattern), `/`
  // would let the name reach another AP's topic level, and `:` ends a password-file user name
  if (/[+#/:]/.test(user)) return 'contains + # / or : (not allowed in an MQTT id used as a username)';
  if (/[\s\u0000-\u001f]/.test(user)) return 'contains whitespace or control characters';
  return undefined;
}

export function apPassword(secret: string, mqttId: string): string {
  return createHmac('sha256', secret).update(`netatlas-mqtt-ap:${mqttId}`).digest('base64url').slice(0, 24);
}

/** One line of a Mosquitto 2 password file: `user:$7$<iterations>$<salt>$<hash>`. */
export function mosquittoPasswdLine(user: string, password: string, salt: Buffer = randomBytes(12)): string {
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 64, 'sha512');
  return `${user}:$7$${PBKDF2_ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export type CredentialsResult = { ok: true; credentials: ApCredential[] } | { ok: false; errors: string[] };

/** The credentials of every wifi AP of `devices`, or every reason some cannot have one. */
export function apCredentials(devices: ReadonlyArray<Pick<Device, 'id' | 'tech' | 'mqttId'>>, secret: string): CredentialsResult {
  const errors: string[] = [];
  if (secret.length < MIN_SECRET_LENGTH) errors.push(`the secret must be at least ${MIN_SECRET_LENGTH} characters (it has ${secret.length})`);
  const seen = new Map<string, string>();
  const credentials: ApCredential[] = [];
  for (const d of devices) {
    if (d.tech !== 'wifi') continue;
    const user = d.mqttId ?? d.id;
    const bad = badUsername(user);
    if (bad) { errors.push(`device ${d.id}: MQTT id "${user}" ${bad}`); continue; }
    const other = seen.get(user);
    if (other !== undefined) { errors.push(`device ${d.id}: MQTT id "${user}" is also device ${other}'s`); continue; }
    seen.set(user, d.id);
    credentials.push({ device: d.id, user, password: apPassword(secret, user) });
  }
  if (credentials.length === 0 && errors.length === 0) errors.push('the inventory has no wifi access points');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, credentials };
}

/** The password file: one entry per AP, in inventory order. */
export function passwordFile(credentials: readonly ApCredential[]): string {
  return credentials.map((c) => mosquittoPasswdLine(c.user, c.password)).join('\n') + '\n';
}

/** For provisioning the APs: `device,user,password` with a header (keep it as secret as the secret). */
export function provisioningCsv(credentials: readonly ApCredential[]): string {
  return ['device,user,password', ...credentials.map((c) => `${c.device},${c.user},${c.password}`)].join('\n') + '\n';
}
