/**
 * Where a bench finds its own sources, and whether a bench file is the one node was started with,
 * both also when it runs built (scripts/build-benches.mjs bundles each bench into
 * dist/bench/<name>.bench.mjs, so `import.meta.url` is the bundle's, whichever file the code came from).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** The bench/ folder of the sources (the fakes run from them with tsx), from source or from dist/bench. */
export const BENCH_SOURCES = here.endsWith('.mjs') ? path.resolve(path.dirname(here), '../../bench') : path.dirname(here);

/**
 * True when node was started on the bench `name` (e.g. 'device-sync'), as bench/<name>.bench.ts or
 * dist/bench/<name>.bench.mjs: a bench another bench imports (lab-sync imports device-sync's helpers)
 * must not start its own run inside that one's bundle.
 */
export function startedAs(name: string): boolean {
  const entry = process.argv[1] ? path.basename(process.argv[1]) : '';
  return entry === `${name}.bench.ts` || entry === `${name}.bench.mjs`;
}
