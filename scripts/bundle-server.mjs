// Bundles the compiled server (dist/src/cli/index.js) into dist/bundle/ with esbuild, for `npm start`
// and the `ipocket` bin.
//
// Why: importing AdminJS 7 from node_modules resolves and reads ~2,000 files (lodash, date-fns,
// the design system, and its whole rollup/babel component bundler) — about 1.5 s of a 2.2 s
// panel start-up. One bundle read from a handful of files takes the panel to ~1 s.
//
// - The panel loads in the background (dynamic import), so it is split into its own chunk and the
//   server still listens at once.
// - AdminJS's component bundler (rollup, babel, ora) is replaced by stubs: production serves the
//   bundle prebuilt into build/adminjs and never bundles at start. @babel/runtime stays (date-fns
//   needs it at run time).
// - Packages that locate files next to themselves (AdminJS's assets and package.json, our static
//   folder and build info) keep working: every `import.meta.url`, `__dirname` and `__filename`
//   in a bundled module is rewritten to the module's original location, relative to the bundle.
// - Native addons and optional drivers stay external and load from node_modules.
import * as esbuild from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const ROOT = process.cwd();
const OUT_DIR = path.join(ROOT, 'dist', 'bundle');
const ENTRY = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');

const EXTERNAL = [
  'better-sqlite3',
  'bcrypt',
  'swagger-ui-dist', // served from its folder on disk
  // knex's and pg's optional drivers, never installed
  'pg-native',
  'pg-query-stream',
  'sqlite3',
  'mysql',
  'mysql2',
  'mariadb',
  'mariadb/callback',
  'oracledb',
  'tedious',
];

const BUNDLER_ONLY = /^(rollup|@rollup\/.*|rollup-plugin-.*|@babel\/.*|ora)$/;
const BUNDLER_STUB = `
const refuse = () => {
  throw new Error('This build of ipocket serves the panel bundle prebuilt by "npm run build" and cannot bundle components (set NODE_ENV=production, or run "npm run dev" from the sources).');
};
const plugin = () => ({});
module.exports = Object.assign(plugin, { default: plugin, nodeResolve: plugin, babel: plugin, getBabelOutputPlugin: plugin, commonjs: plugin, json: plugin, replace: plugin, minify: plugin, polyfillNode: plugin, rollup: refuse, watch: refuse });
`;

/** @type {esbuild.Plugin} */
const stubComponentBundler = {
  name: 'stub-component-bundler',
  setup(build) {
    build.onResolve({ filter: BUNDLER_ONLY }, (args) => (args.path.startsWith('@babel/runtime/') ? undefined : { path: args.path, namespace: 'bundler-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'bundler-stub' }, () => ({ contents: BUNDLER_STUB, loader: 'js' }));
  },
};

const posix = (p) => p.split(path.sep).join('/');

/** @type {esbuild.Plugin} */
const keepFileLocations = {
  name: 'keep-file-locations',
  setup(build) {
    build.onLoad({ filter: /\.(c|m)?js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      const file = posix(path.relative(OUT_DIR, args.path));
      const dir = posix(path.relative(OUT_DIR, path.dirname(args.path))) || '.';
      let changed = false;
      if (text.includes('import.meta.url')) {
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(file)}, import.meta.url).href`);
        changed = true;
      }
      // CommonJS modules only: ESM files that use these names declare them themselves.
      if (/\b__(dirname|filename)\b/.test(text) && !/\b(const|let|var)\s+__(dirname|filename)\b/.test(text)) {
        text = `var __dirname = __bundleLocation.join(__bundleDir, ${JSON.stringify(dir)}); var __filename = __bundleLocation.join(__bundleDir, ${JSON.stringify(file)});\n${text}`;
        changed = true;
      }
      return changed ? { contents: text, loader: 'js' } : undefined;
    });
  },
};

const started = Date.now();
await rm(OUT_DIR, { recursive: true, force: true });
await esbuild.build({
  // Named cli.mjs: the `ipocket` bin and `npm start` run that file.
  entryPoints: { cli: ENTRY },
  outdir: OUT_DIR,
  entryNames: '[name]',
  // Chunks sit next to the entry: the rewritten locations are relative to this one folder.
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [stubComponentBundler, keepFileLocations],
  logLevel: 'warning',
  legalComments: 'none',
  banner: {
    js: [
      "import { createRequire as __bundleCreateRequire } from 'node:module';",
      "import __bundleLocation from 'node:path';",
      "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
      'const require = __bundleCreateRequire(import.meta.url);',
      'const __bundleDir = __bundleLocation.dirname(__bundleFileURLToPath(import.meta.url));',
    ].join(' '),
  },
});
console.log(`server bundled → ${posix(path.relative(ROOT, OUT_DIR))}/cli.mjs in ${Date.now() - started} ms`);
