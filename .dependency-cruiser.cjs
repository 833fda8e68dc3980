/**
 * The layering rules of issue 12, checked by `npm run lint:deps` (run by .ci/run): every forbidden
 * import below, and every import that closes a cycle between two folders, is an error and fails
 * the build. Type-only imports count too.
 *
 * Folders are dependency-cruiser's: a folder is everything under it, so `server/` as a whole
 * must not be imported back by `collectors/`, `sim/`, `core/` or `io/`, and two sibling folders
 * (`server/api` and `server/alerts`) must not import each other. The folder cycles and forbidden
 * imports the rules found when they were written have all been removed (the composition root in
 * server/compose/, core/ for the shared types), so there is no baseline of tolerated ones.
 */

/** Layer rules: `from` may not import `to`. */
const LAYERS = [
  { name: 'core-imports-nothing', comment: 'core/ holds the plain types and pure helpers every part shares: it imports node built-ins and libraries, never a part of the project', from: '^core/', to: '^(io|server|collectors|sim|web)/' },
  { name: 'io-imports-only-core', comment: 'io/ holds the file-system helpers every part shares (the atomic file replace): it imports node built-ins, libraries and core/, never another part', from: '^io/', to: '^(server|collectors|sim|web)/' },
  { name: 'analytics-not-store-api', comment: 'analytics are pure computations over plain types: they take samples, never read the store or the API', from: '^server/analytics/', to: '^server/(store|api)/' },
  { name: 'collectors-not-server-sim', comment: 'collectors write points to a sink; they depend on shared types, not on the server or the simulator', from: '^collectors/', to: '^(server|sim)/' },
  { name: 'store-not-api-analytics', comment: 'the store keeps points; it knows nothing of the API or the analytics built on it', from: '^server/store/', to: '^server/(api|analytics)/' },
  { name: 'web-not-server-collectors', comment: 'the browser bundle talks to the server over HTTP only', from: '^web/', to: '^(server|collectors)/' },
  { name: 'sim-not-collectors-store', comment: 'the simulator plays devices: it speaks SNMP and MQTT, it does not borrow the collectors or the store', from: '^sim/', to: '^(collectors|server/store)/' },
];

module.exports = {
  forbidden: [
    ...LAYERS.map((l) => ({ name: l.name, comment: l.comment, severity: 'error', from: { path: l.from }, to: { path: l.to } })),
    {
      name: 'no-folder-cycles',
      comment: 'two folders importing each other are one part in two places: move the shared piece down',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
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
