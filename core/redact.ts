/**
 * The one place that decides what of a URL may be shown. Used wherever a URL leaves the process:
 * logs, /api/health, alert summaries (and so webhook payloads), the notifier delivery log.
 *
 * - A broker or store URL keeps its scheme, host, port and path (an operator needs them to tell
 *   which broker), but a password becomes `***`: `mqtt://user:***@host:1883`.
 * - A webhook URL keeps only its origin: for Slack, Teams and most hooks the path or the query IS
 *   the credential, so `https://hooks.example/services/T0/B0/xyz` is shown as `https://hooks.example/…`.
 *
 * Both accept anything (a config value that is not a URL at all): what cannot be parsed is not
 * shown, since a half-parsed string may still carry the secret.
 */

const HIDDEN = '***';

/** `mqtt://user:secret@host/x?token=y` → `mqtt://user:***@host/x?token=***`. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(not a URL)';
  }
  // nothing to hide: show the URL exactly as configured (URL would add a trailing slash to http)
  if (u.password === '' && u.search === '') return url;
  if (u.password !== '') u.password = HIDDEN;
  // query parameters often carry tokens (?token=, ?sig=, ?code=): keep the names, hide the values
  for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, HIDDEN);
  // URL re-encodes `***` in the query as `%2A%2A%2A`; show it as written
  return u.toString().replace(/%2A%2A%2A/g, HIDDEN);
}

/** `https://hooks.example/services/T0/B0/xyz` → `https://hooks.example/…` (user info dropped too). */
export function redactWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * `text` with every occurrence of each secret-bearing URL (and of its password and path, which an
 * error message may quote on their own) replaced by its redacted form. For messages built by
 * libraries we do not control (fetch, mqtt.js errors) that may quote the URL they were given.
 */
export function redactText(text: string, urls: ReadonlyArray<{ url: string; kind: 'webhook' | 'url' }>): string {
  let out = text;
  for (const { url, kind } of urls) {
    const shown = kind === 'webhook' ? redactWebhookUrl(url) : (redactUrl(url) ?? '');
    out = out.split(url).join(shown);
    let u: URL | undefined;
    try { u = new URL(url); } catch { u = undefined; }
    if (!u) continue;
    const secrets = [decodeURIComponent(u.password), u.password];
    if (kind === 'webhook') secrets.push(u.pathname.length > 1 ? u.pathname : '', u.search);
    else for (const v of u.searchParams.values()) secrets.push(v);
    for (const s of secrets) if (s.length >= 4) out = out.split(s).join(kind === 'webhook' ? '/…' : HIDDEN);
  }
  return out;
}

/**
 * `url` without its user info, and the credentials it carried (the explicit ones win). fetch()
 * refuses a URL with credentials (and its error quotes the URL, password included), so a client
 * sends them as a header instead and never hands the URL with them to anything that may log it.
 */
export function splitCredentials(url: string, username?: string, password?: string): { url: string; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
  }
  const user = username ?? (u.username !== '' ? decodeURIComponent(u.username) : undefined);
  const pass = password ?? (u.password !== '' ? decodeURIComponent(u.password) : undefined);
  u.username = '';
  u.password = '';
  // URL keeps a trailing slash on a bare origin; the callers join paths onto it either way
  return { url: u.toString(), ...(user !== undefined ? { username: user } : {}), ...(pass !== undefined ? { password: pass } : {}) };
}
