/**
 * The layering rules of issue 12, checked by `npm run lint:deps` (run by .ci/run): any new
 * forbidden import, or any new import that closes a cycle between two folders, fails it.
 *
 * The violations that existed when the rules were written (collectors importing `Point` and the
 * logger from server/, the folder cycles around server/api, ...) are the baseline in
 * .dependency-cruiser-known-violations.json, written by `npm run lint:deps:baseline`, and are
 * reported as warnings. A known import is known for its importer's folder: a file split in two
 * inside collectors/mqtt/ may keep importing server/broker/embedded-broker.ts, but a folder that
 * did not import it before fails. (depcruise's own --ignore-known matches exact file pairs, and
 * does not soften folder cycles at all, so the baseline is read here.) The move of the shared
 * types to core/ and the composition-root refactor remove them; regenerate the baseline after
 * each step, so it shrinks.
 */
const fs = require('node:fs');
const path = require('node:path');

const BASELINE = path.join(__dirname, '.dependency-cruiser-known-violations.json');
const CYCLES = 'no-folder-cycles';

/** A regexp matching exactly one of the given paths. */
const exactly = (paths) => `^(${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
/** A regexp matching the files directly in one of the given folders. */
const filesIn = (folders) => `^(${folders.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})/[^/]+$`;
/** The rule a baseline entry belongs to, without the " (known)" of its warning. */
const ruleOf = (v) => v.rule.name.replace(/ \([^)]*\)$/, '');

const baseline = fs.existsSync(BASELINE) ? JSON.parse(fs.readFileSync(BASELINE, 'utf8')) : [];

/** Folder edges (from folder → next folder of a cycle) that the baseline lists, by from folder. */
function knownFolderEdges() {
  const byFrom = new Map();
  for (const v of baseline) {
    if (v.type !== 'cycle' || ruleOf(v) !== CYCLES) continue;
    byFrom.set(v.from, [...(byFrom.get(v.from) ?? []), v.to]);
  }
  return byFrom;
}

/** Imported modules that the baseline lists for one rule, by the importer's folder. */
function knownImports(rule) {
  const byFolder = new Map();
  for (const v of baseline) {
    if (v.type !== 'dependency' || ruleOf(v) !== rule) continue;
    const folder = path.posix.dirname(v.from);
    byFolder.set(folder, [...new Set([...(byFolder.get(folder) ?? []), v.to])]);
  }
  return byFolder;
}

/** One layer: an error for every import from `from` to `to`, but a warning for the known ones. */
function layerRules(l) {
  const known = knownImports(l.name);
  const folders = [...known.keys()];
  const rules = [{ name: l.name, comment: l.comment, severity: 'error', from: folders.length ? { path: l.from, pathNot: filesIn(folders) } : { path: l.from }, to: { path: l.to } }];
  for (const [folder, tos] of known) {
    rules.push({ name: l.name, comment: l.comment, severity: 'error', from: { path: filesIn([folder]) }, to: { path: l.to, pathNot: exactly(tos) } });
    rules.push({ name: `${l.name} (known)`, comment: `${l.comment} (in the baseline: to be removed)`, severity: 'warn', from: { path: filesIn([folder]) }, to: { path: exactly(tos) } });
  }
  return rules;
}

/**
 * Folder cycles. The known edges are warned. Today most server folders and collectors/ sit in one
 * tangle of cycles (server → collectors → server/broker ...), so any new folder that imports one of
 * them and is imported by another joins it: such an edge, touching a folder of the tangle, is
 * warned too, as growing it. A cycle among folders outside the tangle is an error. When the
 * second pass has untangled them, the baseline is empty and every folder cycle is an error.
 */
function folderCycleRules() {
  const comment = 'two folders importing each other are one part in two places: move the shared piece down';
  const known = knownFolderEdges();
  const tangle = [...new Set([...known.keys(), ...[...known.values()].flat()])];
  if (tangle.length === 0) return [{ name: CYCLES, comment, severity: 'error', scope: 'folder', from: {}, to: { circular: true } }];
  const rules = [{ name: CYCLES, comment, severity: 'error', scope: 'folder', from: { pathNot: exactly(tangle) }, to: { circular: true, pathNot: exactly(tangle) } }];
  for (const [from, tos] of known) {
    rules.push({ name: `${CYCLES} (known)`, comment: `${comment} (in the baseline: to be removed)`, severity: 'warn', scope: 'folder', from: { path: exactly([from]) }, to: { circular: true, path: exactly(tos) } });
    rules.push({ name: `${CYCLES} (grows the known tangle)`, comment, severity: 'warn', scope: 'folder', from: { path: exactly([from]) }, to: { circular: true, pathNot: exactly(tos) } });
  }
  const froms = [...known.keys()];
  rules.push({ name: `${CYCLES} (grows the known tangle)`, comment, severity: 'warn', scope: 'folder', from: { pathNot: exactly(froms) }, to: { circular: true, path: exactly(tangle) } });
  // from a tangle folder with no known edge of its own, to a folder outside it
  const quiet = tangle.filter((f) => !known.has(f));
  if (quiet.length) rules.push({ name: `${CYCLES} (grows the known tangle)`, comment, severity: 'warn', scope: 'folder', from: { path: exactly(quiet) }, to: { circular: true, pathNot: exactly(tangle) } });
  return rules;
}

/** Layer rules: `from` may not import `to`. */
const LAYERS = [
  { name: 'core-imports-nothing', comment: 'core/ holds the plain types and pure helpers every part shares: it imports node built-ins and libraries, never a part of the project', from: '^core/', to: '^(server|collectors|sim|web)/' },
  { name: 'analytics-not-store-api', comment: 'analytics are pure computations over plain types: they take samples, never read the store or the API', from: '^server/analytics/', to: '^server/(store|api)/' },
  { name: 'collectors-not-server-sim', comment: 'collectors write points to a sink; they depend on shared types, not on the server or the simulator', from: '^collectors/', to: '^(server|sim)/' },
  { name: 'store-not-api-analytics', comment: 'the store keeps points; it knows nothing of the API or the analytics built on it', from: '^server/store/', to: '^server/(api|analytics)/' },
  { name: 'web-not-server-collectors', comment: 'the browser bundle talks to the server over HTTP only', from: '^web/', to: '^(server|collectors)/' },
  { name: 'sim-not-collectors-store', comment: 'the simulator plays devices: it speaks SNMP and MQTT, it does not borrow the collectors or the store', from: '^sim/', to: '^(collectors|server/store)/' },
];

module.exports = {
  forbidden: [
    ...LAYERS.flatMap(layerRules),
    ...folderCycleRules(),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    // type-only imports count: a collector that imports a store type still depends on the store
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
