// Records the commit and build time next to the compiled code, for /health and the panel sidebar.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {
  // Not a git checkout (a tarball): keep "unknown".
}
mkdirSync('build', { recursive: true });
writeFileSync('build/build-info.json', JSON.stringify({ commit, build_time: new Date().toISOString().slice(0, 19) + 'Z' }) + '\n');
