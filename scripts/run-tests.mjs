#!/usr/bin/env node
// Runs one tier of the suite with node's test runner (tsx loader, one file at a time: each file
// owns a database, and the e2e files share one Chromium-heavy machine).
//   node scripts/run-tests.mjs all     every test file (what `npm test` runs)
//   node scripts/run-tests.mjs fast    no browser, no spawned peers or processes: the pre-commit tier
//   node scripts/run-tests.mjs db      every file but the Chromium suite (the PostgreSQL pass:
//                                      the browser proves nothing about SQL dialects)
//   node scripts/run-tests.mjs e2e     the Chromium suite only
// Extra arguments are passed to node --test (e.g. --test-name-pattern); --list prints the files.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const [tier = 'all', ...extra] = process.argv.slice(2);
const root = 'test';
// Every test file under test/<area>/, nested folders included (test/plugins/reconcile/ holds the planner's unit tests).
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(root, d.name), { recursive: true }).filter((f) => f.endsWith('.test.ts')).map((f) => `${root}/${d.name}/${f}`))
  .sort();

// The Chromium suite: test/e2e/ and any other file driving the browser through its harness.
const isE2e = (f) => f.startsWith('test/e2e/') || /e2e\/harness|playwright-core/.test(readFileSync(f, 'utf8'));
// Files that start real peers (Prometheus, nmap), spawn the app or the CLI, or run load.
const isSlow = (f) => isE2e(f) || f.startsWith('test/concurrency/') || /\b(spawn|fork|execFile)\(/.test(readFileSync(f, 'utf8')) || /(real|crash|signals|cli|scheduler)\b/.test(path.basename(f, '.test.ts'));
// Files that can reach a database: the file or anything it imports from this repo (followed
// through every relative import, type-only ones too) opens or types a connection (src/db/,
// knex, pg, better-sqlite3), names the suite's database (TEST_DATABASE_URL, DIALECT), or imports
// child_process (what it spawns may open one). Only the rest (pure domain, lint, component and fake-server
// tests) skip the PostgreSQL pass: they run the same code on either database.
const reaches = new Map();
const DB_MARK = /from ['"](knex|pg|better-sqlite3)['"]|\b(TEST_DATABASE_URL|DIALECT)\b|from ['"](node:)?child_process['"]/;
function reachesDb(file) {
  if (reaches.has(file)) return reaches.get(file);
  reaches.set(file, false); // an import cycle adds nothing new
  const text = readFileSync(file, 'utf8');
  let hit = file.startsWith('src/db/') || DB_MARK.test(text);
  for (const [, spec] of hit ? [] : text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = path.join(path.dirname(file), spec).replace(/\.(m?js|tsx?)$/, '');
    const target = ['.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts'].map((ext) => base + ext).find((f) => existsSync(f));
    if (target && reachesDb(target)) hit = true;
  }
  reaches.set(file, hit);
  return hit;
}
const tiers = {
  all: () => true,
  fast: (f) => !isSlow(f),
  db: (f) => !isE2e(f) && reachesDb(f),
  e2e: isE2e,
};
const pick = tiers[tier];
if (!pick) {
  console.error(`unknown tier "${tier}": use ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const chosen = files.filter(pick);
if (tier === 'db') {
  const pure = files.filter((f) => !isE2e(f) && !reachesDb(f));
  console.log(`db tier: ${chosen.length} files; ${pure.length} skipped as they reach no database (scripts/run-tests.mjs, reachesDb):\n  ${pure.join('\n  ')}`);
}
if (extra.includes('--list')) {
  console.log(chosen.join('\n'));
  process.exit(0);
}
// bcrypt at its minimum cost (allowed only under the test runner, src/services/password-cost.ts):
// the suite hashes and logs in thousands of times, and no test needs the cost to be real.
const env = { ...process.env, IPOCKET_BCRYPT_ROUNDS: process.env.IPOCKET_BCRYPT_ROUNDS ?? '4' };
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...chosen], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
