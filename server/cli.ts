/**
 * The `netatlas` command line. Each subcommand is one small function so that the issues that fill
 * in the stubs (report, import, simulate) each replace one function. Exit codes go through
 * process.exitCode; only server/main.ts calls process.exit.
 */
import { Command, Option } from 'commander';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../io/atomic-write.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  setExitCode: (code: number) => void;
  /** a status line that overwrites itself, '' clears it; only on a TTY (absent otherwise) */
  progress?: (text: string) => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
  ...(process.stderr.isTTY === true ? { progress: (t: string) => { process.stderr.write(`\r\x1b[K${t}`); } } : {}),
};

/** While `work` runs, says on the progress line what is being done and for how long (every second). */
async function withElapsed<T>(io: CliIo, what: string, work: () => Promise<T>): Promise<T> {
  const progress = io.progress;
  if (!progress) return work();
  const started = Date.now();
  progress(`${what}…`);
  const timer = setInterval(() => progress(`${what}… ${Math.round((Date.now() - started) / 1000)} s`), 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress('');
  }
}

async function startCommand(options: { config?: string; role?: string }): Promise<void> {
  // Imported lazily: check-config and the stubs must not load the service's dependencies.
  const { main } = await import('./main.js');
  // --role is the config key `role`, validated with the rest of the config (config-schema.ts)
  await main({ configFile: options.config, ...(options.role !== undefined ? { env: { ...process.env, NETATLAS_ROLE: options.role } } : {}) });
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

async function reportDesiCommand(options: { period: string; format: 'csv' | 'json'; config?: string }, io: CliIo): Promise<void> {
  // Imported lazily, like start: the other subcommands must not load the store and analytics.
  const { reportDesiCli } = await import('./reports/desi-cli.js');
  // the CSV carries its own CRLF line ends and the JSON its newline: print without adding one
  // a report over a year of a large network reads many points: say so on a TTY while it works
  await withElapsed(io, `computing the DESI report for ${options.period}`, () =>
    reportDesiCli(options, { ...io, out: (text) => { io.progress?.(''); io.out(text.replace(/\r?\n$/, '')); } }));
}

/**
 * Validate a devices CSV (every bad row reported with its line) and write the inventory YAML:
 * to --out, else the config's inventory.devicesFile, else FILE with a .yaml extension. Written to
 * a temporary file and renamed, so a running service's watcher never reads half a file.
 */
export async function importDevicesCommand(file: string, options: { config?: string; out?: string }, io: CliIo): Promise<void> {
  const { importDevicesCsv } = await import('./inventory/csv-import.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    io.setExitCode(1);
    return;
  }
  let target = options.out;
  if (target === undefined && (options.config !== undefined || io.env['NETATLAS_CONFIG'])) {
    try {
      target = loadConfig({ file: options.config, env: io.env }).inventory.devicesFile;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const issue of err.issues) io.err(issue);
      io.setExitCode(1);
      return;
    }
  }
  target ??= file.replace(/\.csv$/i, '') + '.yaml';
  // validation is synchronous (100 000 rows take about 10 s): the line is written before it starts
  io.progress?.(`${file}: validating ${text.split('\n').filter((l) => l.trim() !== '').length - 1} rows…`);
  const result = importDevicesCsv(text);
  io.progress?.('');
  if (!result.ok) {
    for (const e of result.errors) io.err(`${file}:${e.replace(/^line /, '')}`);
    io.err(`${file}: ${result.errors.length} problem(s); nothing written`);
    io.setExitCode(1);
    return;
  }
  // SNMP communities and v3 keys are credentials: such a file is readable by its owner only,
  // from its creation (the temporary file is made with that mode), and the rename keeps it
  const secret = result.inventory.devices.some((d) => d.snmp !== undefined && ('community' in d.snmp || d.snmp.authKey !== undefined || d.snmp.privKey !== undefined));
  writeFileAtomicSync(target, `# Imported from ${path.basename(file)} by netatlas import devices\n${result.yaml}`, secret ? { mode: 0o600 } : {});
  const n = result.inventory.devices;
  io.out(`${file}: ${n.length} devices (${n.filter((d) => d.tech === 'fibre').length} fibre, ${n.filter((d) => d.tech === 'wifi').length} wifi) written to ${target}${secret ? ' (mode 0600: it holds SNMP secrets)' : ''}`);
  io.setExitCode(0);
}

/** The simulator alone (server/simulate-command.ts, sim/ loaded only then) until SIGINT/SIGTERM. */
async function simulateCommand(options: import('./simulate-command.js').SimulateOptions, io: CliIo): Promise<void> {
  const { runSimulate } = await import('./simulate-command.js');
  let network: Awaited<ReturnType<typeof runSimulate>>;
  try {
    network = await runSimulate(options, io);
  } catch (err) {
    if (err instanceof ConfigError) for (const issue of err.issues) io.err(issue);
    else io.err(`netatlas simulate: ${(err as Error).message}`);
    io.setExitCode(1);
    return;
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void network.close({ sayOffline: true }).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.out('simulated network stopped');
  io.setExitCode(0);
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
    .addOption(new Option('--role <role>', 'what this process runs: all, collector (collectors, pipeline, own health) or api (API, map, rollups, reports, alerts); default: the config\'s role, else all').choices(['all', 'collector', 'api']))
    .action((options: { config?: string; role?: string }) => startCommand(options));

  program
    .command('check-config')
    .description('validate a config file and the NETATLAS_ environment; prints FILE: OK or every problem; no network calls')
    .argument('<file>', 'config file (YAML or JSON)')
    .action((file: string) => checkConfigCommand(file, io));

  const report = program.command('report').description('reports computed from the stored data');
  report
    .command('desi')
    .description('DESI connectivity indicators for a period, per area and for the region, from the configured store and inventory')
    .requiredOption('--period <period>', 'a quarter (2026-Q3) or a year (2026)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('json'))
    .addOption(configOption())
    .action((options: { period: string; format: 'csv' | 'json'; config?: string }) => reportDesiCommand(options, io));

  const importCmd = program.command('import').description('import inventory data');
  importCmd
    .command('devices')
    .description('validate a devices CSV (every bad row reported by line) and write the inventory YAML')
    .argument('<file>', 'CSV file (header: see server/inventory/README.md)')
    .option('-o, --out <file>', 'YAML file to write; default: the config\'s inventory.devicesFile, else FILE.yaml')
    .addOption(configOption())
    .action((file: string, options: { config?: string; out?: string }) => importDevicesCommand(file, options, io));
  const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
  importCmd
    .command('areas')
    .description('turn an official boundary file (own property names, population table, national projection) into the areas file; every problem reported by feature, nothing written on any')
    .argument('<file>', 'GeoJSON FeatureCollection of Polygon/MultiPolygon features')
    .requiredOption('-o, --out <file>', 'areas GeoJSON to write (WGS 84, properties id, name, population[, households])')
    .option('--id-property <p>', 'property holding the area id (e.g. the national code)', 'id')
    .option('--name-property <p>', 'property holding the name; repeat it to join names with " / "', collect)
    .option('--population-property <p>', 'property holding the population')
    .option('--population-csv <file>', 'CSV table with the population, keyed by the area id')
    .option('--population-key <col>', 'column of --population-csv matched to the id')
    .option('--population-column <col>', 'column of --population-csv with the population')
    .option('--households-property <p>', 'property holding the households (optional)')
    .option('--households-csv <file>', 'CSV table with the households, keyed by the area id (optional)')
    .option('--households-key <col>', 'column of --households-csv matched to the id')
    .option('--households-column <col>', 'column of --households-csv with the households')
    .option('--from-crs <code>', 'EPSG code of the coordinates, e.g. EPSG:31370 (Belgian Lambert 72); default WGS 84')
    .action(async (file: string, options: Omit<import('./inventory/areas-import-command.js').ImportAreasFlags, 'nameProperty'> & { nameProperty?: string[] }) => {
      (await import('./inventory/areas-import-command.js')).importAreasCommand(file, { ...options, nameProperty: options.nameProperty ?? ['name'] }, io);
    });

  program
    .command('simulate')
    .description('run the simulated network (SNMP agents, MQTT access points) on its own against a broker, until Ctrl-C')
    .option('--broker <url>', 'MQTT broker the APs publish to; default: the config\'s, else mqtt://127.0.0.1:1883')
    .option('--snmp-base-port <port>', 'fibre node i answers SNMP on 127.0.0.1:<port + i>; default: the inventory\'s first fibre node port')
    .option('--devices <file>', 'inventory to simulate; default: the config\'s, else the demo inventory')
    .option('--seed <n>', 'seed of traffic and faults; default: simulator.seed')
    .option('--faults', 'play the scripted and random faults (default: simulator.faults, true)')
    .option('--no-faults', 'no scripted or random faults')
    .option('--protocol <version>', 'MQTT protocol version of the APs: 4 (3.1.1) or 5', '4')
    .option('--topic-prefix <prefix>', 'topic prefix; default: collectors.mqtt.topicPrefix, else netatlas/wifi')
    .addOption(configOption())
    .action((options: import('./simulate-command.js').SimulateOptions) => simulateCommand(options, io));

  program
    .command('broker-credentials')
    .description('write the Mosquitto password file entries of every wifi AP (user = its MQTT id, password derived from the secret); see deploy/mosquitto/acl')
    .requiredOption('--secret-file <file>', 'file whose first line is the secret the AP passwords derive from (at least 16 characters)')
    .option('--devices <file>', 'inventory devices file; default: the config\'s inventory.devicesFile')
    .option('-o, --out <file>', 'password file to write (mode 0600); default: stdout')
    .option('--passwords <file>', 'also write device,user,password as CSV (mode 0600), to provision the APs')
    .addOption(configOption())
    .action(async (options: import('./broker/credentials-command.js').BrokerCredentialsOptions) => {
      (await import('./broker/credentials-command.js')).brokerCredentialsCommand(options, io);
    });

  program
    .command('replay-rejected')
    .description('re-send the points the store refused (<dataDir>/spool/rejected.jsonl) after fixing the cause; those it takes are removed, the rest stay')
    .addOption(configOption())
    .action(async (options: { config?: string }) => {
      await (await import('./replay-rejected-command.js')).replayRejectedCommand(options, io);
    });

  program
    .command('plan')
    .description('siting: of the candidate sites in FILE, the N whose AP discs reach the most uncovered households of the area(s), with each pick\'s gain (see README "Planning")')
    .requiredOption('--sites <file>', 'candidate sites: CSV with lat,lon (and id) columns, or a GeoJSON FeatureCollection of Points')
    .requiredOption('--count <n>', 'how many sites to pick (1..500)')
    .requiredOption('--area <id...>', 'the area id(s) whose uncovered households count')
    .option('--radius <m>', 'AP coverage radius in metres; default: ITU-R P.1411 street NLoS at the default radio (78.6 m)')
    .option('--resolution <r>', 'H3 resolution of the demand cells (9..13, default 12)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'geojson']).default('json'))
    .addOption(configOption())
    .action(async (options: import('./planning/plan-cli.js').PlanCliOptions) => {
      await (await import('./planning/plan-cli.js')).planCli(options, io);
    });

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
