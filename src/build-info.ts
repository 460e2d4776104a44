import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  version: string;
  commit: string;
  build_time: string;
}

const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
let cached: BuildInfo | undefined;

/** Version from package.json; commit and build time from build/build-info.json (written by `npm run build`), else git. */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const file = path.join(ROOT, 'build', 'build-info.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildInfo>;
    cached = { version: pkg.version, commit: stored.commit ?? 'unknown', build_time: stored.build_time ?? 'unknown' };
  } else {
    cached = { version: pkg.version, commit: gitCommit(), build_time: 'dev' };
  }
  return cached;
}

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** The project root: the nearest folder above this file holding package.json (works from src/ and dist/src/). */
export function projectRoot(): string {
  return ROOT;
}

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}
