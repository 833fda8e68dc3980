/**
 * The `netatlas` command line. Each subcommand is one small function so that the issues that fill
 * in the stubs (report, import, simulate) each replace one function. Exit codes go through
 * process.exitCode; only server/main.ts calls process.exit.
 */
import { Command, Option } from 'commander';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

async function startCommand(options: { config?: string }): Promise<void> {
  // Imported lazily: check-config and the stubs must not load the service's dependencies.
  const { main } = await import('./main.js');
  await main({ configFile: options.config });
}

/**
 * Validate FILE (plus the NETATLAS_ environment, as `start` would see it) without any network
 * call. Prints `FILE: OK`, or one `FILE: <path>: <message>` line per problem on stderr.
 */
export function checkConfigCommand(file: string, io: CliIo): void {
  try {
    loadConfig({ file, env: io.env });
    io.out(`${file}: OK`);
    io.setExitCode(0);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Problems with the file itself are already prefixed with its name.
    for (const issue of err.issues) io.err(issue.startsWith(`${file}: `) ? issue : `${file}: ${issue}`);
    io.setExitCode(1);
  }
}

function notImplemented(what: string, io: CliIo): void {
  io.err(`netatlas ${what}: not implemented yet`);
  io.setExitCode(2);
}

function reportDesiCommand(_options: { period: string; format: 'csv' | 'json'; config?: string }, io: CliIo): void {
  notImplemented('report desi', io);
}

function importDevicesCommand(_file: string, _options: { config?: string }, io: CliIo): void {
  notImplemented('import devices', io);
}

function simulateCommand(_options: { config?: string }, io: CliIo): void {
  notImplemented('simulate', io);
}

export function buildCli(io: CliIo = processIo): Command {
  const program = new Command('netatlas')
    .description('Monitor a region\'s fibre (SNMP) and public wifi (MQTT) networks: uptime, coverage, gaps, DESI indicators.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const configOption = (): Option =>
    new Option('-c, --config <file>', 'config file (YAML or JSON); default: $NETATLAS_CONFIG, else built-in defaults');

  program
    .command('start')
    .description('start the service: API, map, collectors (no config file: embedded store and broker, simulator on)')
    .addOption(configOption())
    .action((options: { config?: string }) => startCommand(options));

  program
    .command('check-config')
    .description('validate a config file and the NETATLAS_ environment; prints FILE: OK or every problem; no network calls')
    .argument('<file>', 'config file (YAML or JSON)')
    .action((file: string) => checkConfigCommand(file, io));

  const report = program.command('report').description('reports computed from the stored data');
  report
    .command('desi')
    .description('DESI connectivity indicators for a period, per area and for the region (not implemented yet)')
    .requiredOption('--period <period>', 'a quarter (2026-Q3) or a year (2026)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('json'))
    .addOption(configOption())
    .action((options: { period: string; format: 'csv' | 'json'; config?: string }) => reportDesiCommand(options, io));

  const importCmd = program.command('import').description('import inventory data');
  importCmd
    .command('devices')
    .description('import devices from a CSV file into the inventory (not implemented yet)')
    .argument('<file>', 'CSV file')
    .addOption(configOption())
    .action((file: string, options: { config?: string }) => importDevicesCommand(file, options, io));

  program
    .command('simulate')
    .description('run the simulated network (SNMP agents, MQTT access points) on its own (not implemented yet)')
    .addOption(configOption())
    .action((options: { config?: string }) => simulateCommand(options, io));

  return program;
}

export async function runCli(argv: readonly string[] = process.argv, io: CliIo = processIo): Promise<void> {
  const program = buildCli(io);
  program.exitOverride((err) => {
    // --help and --version are "errors" with exit code 0 to commander; keep their code.
    io.setExitCode(err.exitCode);
    throw err;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number') {
      io.setExitCode(err.exitCode);
      return;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli();
}
