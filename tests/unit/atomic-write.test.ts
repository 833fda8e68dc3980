/**
 * io/atomic-write.ts: the one way netatlas replaces a file (old or new content, never half).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../io/atomic-write.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
const tmp = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-atomic-')); dirs.push(d); return d; };

describe('atomic write', () => {
  it('replaces the content and leaves no temporary file beside it (sync and async)', async () => {
    const dir = tmp();
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, 'old content, longer than the new one');
    writeFileAtomicSync(file, '{"a":1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    await writeFileAtomic(file, '{"a":2}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('creates a secret file with mode 0600 whatever the umask, and keeps it over a wider old file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'devices.yaml');
    fs.writeFileSync(file, 'x', { mode: 0o644 });
    writeFileAtomicSync(file, 'community: s3cret', { mode: 0o600 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const other = path.join(dir, 'passwords.csv');
    await writeFileAtomic(other, 'u,p', { mode: 0o600 });
    expect(fs.statSync(other).mode & 0o777).toBe(0o600);
  });

  it('throws and leaves the old file and no temporary one when the rename cannot happen', async () => {
    const dir = tmp();
    // the target is a non-empty folder: the write succeeds, the rename over it fails
    const target = path.join(dir, 'busy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'kept');
    expect(() => writeFileAtomicSync(target, 'new')).toThrow();
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['busy']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
