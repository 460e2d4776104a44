// Compiles benches to dist/bench/<name>.mjs so they measure the built code production runs
// (`npm start` and its reconcile worker load JavaScript from dist/; under tsx every module, the
// worker's too, is compiled again at run time, which costs CPU and memory production never pays).
// Only the bench's own files are bundled: imports of src/, plugins/ and migrations/ point at their
// compiled files in dist/ (build them first: `npx tsc -p tsconfig.build.json --noCheck`).
// Usage: node scripts/build-benches.mjs device-sync lab-sync
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = process.cwd();
const COMPILED = ['src', 'plugins', 'migrations'].map((d) => path.join(ROOT, d) + path.sep);

/** @type {esbuild.Plugin} */
const useDist = {
  name: 'use-dist',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!COMPILED.some((d) => target.startsWith(d))) return undefined;
      const built = path.join(ROOT, 'dist', path.relative(ROOT, target)).replace(/\.ts$/, '.js');
      if (!existsSync(built)) return { errors: [{ text: `${built} is not built: run npx tsc -p tsconfig.build.json --noCheck` }] };
      return { path: built, external: true };
    });
  },
};

const names = process.argv.slice(2);
if (names.length === 0) throw new Error('usage: node scripts/build-benches.mjs <bench name>…');
await esbuild.build({
  entryPoints: Object.fromEntries(names.map((n) => [`${n}.bench`, path.join(ROOT, 'bench', `${n}.bench.ts`)])),
  outdir: path.join(ROOT, 'dist', 'bench'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [useDist],
  logLevel: 'warning',
});
