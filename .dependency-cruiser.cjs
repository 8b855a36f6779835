/**
 * The layering, checked on every test run (npm run lint:deps): the core owns the Channel
 * port and knows channels only through it; only the composition root (src/main.ts) puts
 * them together; a channel's files are its own; and no module depends on itself in a
 * circle, type-only imports included (they couple the files just the same).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports count): move the shared part into a module both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-channels',
      severity: 'error',
      comment: 'The core (src/, queues/) knows channels only through src/channel.ts; src/main.ts alone wires them in.',
      from: { path: '^(src|queues)/', pathNot: ['^src/main\\.ts$', '\\.test\\.ts$'] },
      to: { path: '^channels/' },
    },
    {
      name: 'channel-not-to-other-channel',
      severity: 'error',
      comment: "A channel never imports another channel's files; what two channels share belongs in the core.",
      from: { path: '^channels/([^/]+)/' },
      to: { path: '^channels/', pathNot: '^channels/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code never imports test support.',
      from: { path: '^(src|channels|queues|scripts)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|drizzle)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
