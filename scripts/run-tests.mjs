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
import { readFileSync, readdirSync } from 'node:fs';
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
const tiers = {
  all: () => true,
  fast: (f) => !isSlow(f),
  db: (f) => !isE2e(f),
  e2e: isE2e,
};
const pick = tiers[tier];
if (!pick) {
  console.error(`unknown tier "${tier}": use ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const chosen = files.filter(pick);
if (extra.includes('--list')) {
  console.log(chosen.join('\n'));
  process.exit(0);
}
const env = { ...process.env, IPOCKET_BCRYPT_ROUNDS: process.env.IPOCKET_BCRYPT_ROUNDS ?? '10' };
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...chosen], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
