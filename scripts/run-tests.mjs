#!/usr/bin/env node
// Runs one tier of the suite with node's test runner (tsx loader, one file at a time: each file
// owns a database, and the e2e files share one Chromium-heavy machine).
//   node scripts/run-tests.mjs all     every test file (what `npm test` runs)
//   node scripts/run-tests.mjs fast    no browser, no spawned peers or processes: the pre-commit tier
//   node scripts/run-tests.mjs db      every file but the Chromium suite (the PostgreSQL pass:
//                                      the browser proves nothing about SQL dialects)
//   node scripts/run-tests.mjs e2e     the Chromium suite only
// Extra arguments are passed to node --test (e.g. --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const [tier = 'all', ...extra] = process.argv.slice(2);
const root = 'test';
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(root, d.name)).filter((f) => f.endsWith('.test.ts')).map((f) => `${root}/${d.name}/${f}`))
  .sort();

const isE2e = (f) => f.startsWith('test/e2e/');
// Files that start real peers (Prometheus, nmap), spawn the app or the CLI, or run load.
const isSlow = (f) => isE2e(f) || f.startsWith('test/concurrency/') || /(real|crash|signals|cli|scheduler)\b/.test(path.basename(f, '.test.ts'));
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
const env = { ...process.env, IPOCKET_BCRYPT_ROUNDS: process.env.IPOCKET_BCRYPT_ROUNDS ?? '10' };
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...chosen], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
