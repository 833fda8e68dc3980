#!/usr/bin/env node
// The `netatlas` command: runs server/cli.ts through tsx's ESM loader in a child Node process,
// so the TypeScript sources run as they are, wherever the package is installed. Signals are
// forwarded so that Ctrl-C and `kill` reach the service and it can shut down cleanly.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cli = fileURLToPath(new URL('../server/cli.ts', import.meta.url));
// Resolve tsx from this package, not from the caller's working directory.
const tsx = require.resolve('tsx');
const child = spawn(process.execPath, ['--import', new URL(`file://${tsx}`).href, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
});
