/**
 * The layering rules of issue 12, checked by `npm run lint:deps` (run by .ci/run): any new
 * forbidden import, or any new import that closes a cycle between two folders, fails it.
 *
 * The violations that existed when the rules were written (collectors importing `Point` and the
 * logger from server/, the folder cycles around server/api, ...) are the baseline in
 * .dependency-cruiser-known-violations.json, written by `npm run lint:deps:baseline`. Known
 * module imports are ignored by depcruise's own --ignore-known; depcruise does not soften known
 * folder cycles, so the folder edges of the baseline are read here and reported as warnings.
 * The planned core move and composition-root refactor remove them; regenerate the baseline after
 * each step so that it only ever shrinks.
 */
const fs = require('node:fs');
const path = require('node:path');

const BASELINE = path.join(__dirname, '.dependency-cruiser-known-violations.json');
const CYCLES = 'no-folder-cycles';

/** A regexp matching exactly one of the given paths. */
const exactly = (paths) => `^(${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;

/** Folder edges (from folder → next folder of a cycle) that the baseline lists, by from folder. */
function knownFolderEdges() {
  const byFrom = new Map();
  if (!fs.existsSync(BASELINE)) return byFrom;
  for (const v of JSON.parse(fs.readFileSync(BASELINE, 'utf8'))) {
    if (v.type !== 'cycle' || !v.rule.name.startsWith(CYCLES)) continue;
    byFrom.set(v.from, [...(byFrom.get(v.from) ?? []), v.to]);
  }
  return byFrom;
}

function folderCycleRules() {
  const comment = 'two folders importing each other are one part in two places: move the shared piece down';
  const known = knownFolderEdges();
  const rules = [];
  const froms = [...known.keys()];
  rules.push({ name: CYCLES, comment, severity: 'error', scope: 'folder', from: froms.length ? { pathNot: exactly(froms) } : {}, to: { circular: true } });
  for (const [from, tos] of known) {
    rules.push({ name: CYCLES, comment, severity: 'error', scope: 'folder', from: { path: exactly([from]) }, to: { circular: true, pathNot: exactly(tos) } });
    rules.push({ name: `${CYCLES} (known)`, comment: `${comment} (in the baseline: to be removed)`, severity: 'warn', scope: 'folder', from: { path: exactly([from]) }, to: { circular: true, path: exactly(tos) } });
  }
  return rules;
}

/** Layer rules: `from` may not import `to`. */
const LAYERS = [
  { name: 'analytics-not-store-api', comment: 'analytics are pure computations over plain types: they take samples, never read the store or the API', from: '^server/analytics/', to: '^server/(store|api)/' },
  { name: 'collectors-not-server-sim', comment: 'collectors write points to a sink; they depend on shared types, not on the server or the simulator', from: '^collectors/', to: '^(server|sim)/' },
  { name: 'store-not-api-analytics', comment: 'the store keeps points; it knows nothing of the API or the analytics built on it', from: '^server/store/', to: '^server/(api|analytics)/' },
  { name: 'web-not-server-collectors', comment: 'the browser bundle talks to the server over HTTP only', from: '^web/', to: '^(server|collectors)/' },
  { name: 'sim-not-collectors-store', comment: 'the simulator plays devices: it speaks SNMP and MQTT, it does not borrow the collectors or the store', from: '^sim/', to: '^(collectors|server/store)/' },
];

module.exports = {
  forbidden: [
    ...LAYERS.map((l) => ({ name: l.name, comment: l.comment, severity: 'error', from: { path: l.from }, to: { path: l.to } })),
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
