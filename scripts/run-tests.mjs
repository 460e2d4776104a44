#!/usr/bin/env node
// Runs tiers of the suite with node's test runner (tsx loader). Each file owns its database (an
// in-memory SQLite one, or a PostgreSQL database copied from a template: test/helpers/db.ts), its
// temp folders and its ports, so files are independent of each other.
//   node scripts/run-tests.mjs all     every test file (what `npm test` runs)
//   node scripts/run-tests.mjs fast    no browser, no spawned peers or processes: the pre-commit tier
//   node scripts/run-tests.mjs db      every file but the Chromium suite (the PostgreSQL pass:
//                                      the browser proves nothing about SQL dialects)
//   node scripts/run-tests.mjs e2e     the Chromium suite only
// A tier runs on the database of the environment (PostgreSQL when TEST_DATABASE_URL is set). A
// pass names its database: `sqlite:all` (TEST_DATABASE_URL unset for it), `pg:db` (needs
// TEST_DATABASE_URL). Several passes run as one queue of (pass, file) jobs.
//   --jobs N   run N files at once (default 1), one Chromium file at a time while others wait; each file's
//              output is printed whole when it ends, then a table of durations and the failures.
//              CI runs `sqlite:all pg:db --jobs 2` (scripts/test-pg.sh starts the cluster).
// One tier with --jobs 1 is one `node --test` over its files, its output streamed as it comes.
// Files named (test/x/y.test.ts) narrow the passes to those of them each pass holds. Other
// arguments are passed to node --test (e.g. --test-name-pattern); --list prints the files.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

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

const args = process.argv.slice(2);
let jobs = 1;
const passes = [];
const extra = [];
const only = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--jobs' || a.startsWith('--jobs=')) {
    jobs = Number(a === '--jobs' ? args[++i] : a.slice('--jobs='.length));
    if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs needs a whole number of at least 1, not "${a === '--jobs' ? args[i] : a}"`);
  } else if (a.startsWith('-')) extra.push(a);
  else if (a.endsWith('.test.ts')) only.push(path.normalize(a));
  else {
    const [, db, tier] = /^(?:(sqlite|pg):)?(.*)$/.exec(a);
    // The value of a flag given as two arguments (--test-name-pattern login).
    if (!tiers[tier] && !db && /^-[^=]*$/.test(args[i - 1] ?? '')) {
      extra.push(a);
      continue;
    }
    if (!tiers[tier]) fail(`unknown tier "${a}": use ${Object.keys(tiers).join(', ')}, optionally as sqlite:TIER or pg:TIER`);
    if (db === 'pg' && !process.env.TEST_DATABASE_URL) fail(`"${a}" runs on PostgreSQL: set TEST_DATABASE_URL (scripts/test-pg.sh starts a throwaway cluster and sets it)`);
    passes.push({ name: a, db, tier });
  }
}
if (passes.length === 0) passes.push({ name: 'all', db: undefined, tier: 'all' });
const unknown = only.filter((f) => !files.includes(f));
if (unknown.length) fail(`not a test file of the suite: ${unknown.join(', ')}`);
function fail(message) {
  console.error(message);
  process.exit(2);
}

for (const pass of passes) {
  pass.files = files.filter(tiers[pass.tier]).filter((f) => only.length === 0 || only.includes(f));
  if (pass.tier === 'db') {
    const pure = files.filter((f) => !isE2e(f) && !reachesDb(f));
    console.log(`${pass.name}: ${pass.files.length} files; ${pure.length} skipped as they reach no database (scripts/run-tests.mjs, reachesDb):\n  ${pure.join('\n  ')}`);
  }
}
if (extra.includes('--list')) {
  for (const pass of passes) console.log(pass.files.map((f) => (passes.length > 1 ? `${pass.name} ${f}` : f)).join('\n'));
  process.exit(0);
}
// bcrypt at its minimum cost (allowed only under the test runner, src/services/password-cost.ts):
// the suite hashes and logs in thousands of times, and no test needs the cost to be real.
const baseEnv = { ...process.env, IPOCKET_BCRYPT_ROUNDS: process.env.IPOCKET_BCRYPT_ROUNDS ?? '4' };
const envOf = (pass) => {
  const env = { ...baseEnv };
  if (pass.db === 'sqlite') delete env.TEST_DATABASE_URL;
  return env;
};
const nodeArgs = (chosen) => ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...chosen];

// One Chromium for the whole run (test/e2e/browser-server.ts; the files connect to it, harness.ts
// launchChromium): a browser start per file is time the run need not spend. It ends when this
// process does (its stdin closes).
if (passes.some((pass) => pass.files.some(isE2e))) {
  const server = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/browser-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ws = await new Promise((resolve) => {
    let text = '';
    server.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')).trim());
    });
    server.on('exit', () => resolve(null));
  });
  if (!ws) fail('the shared Chromium (test/e2e/browser-server.ts) did not start: see its error above');
  server.on('exit', (code, signal) => console.error(`\n### the shared Chromium (test/e2e/browser-server.ts) exited (${signal ?? code}): the Chromium files after this fail`));
  server.stdout.resume();
  baseEnv.IPOCKET_E2E_BROWSER_WS = ws;
}

if (jobs === 1 && passes.length === 1) {
  const run = spawnSync(process.execPath, nodeArgs(passes[0].files), { stdio: 'inherit', env: envOf(passes[0]) });
  process.exit(run.status ?? 1);
}

// The queue: the Chromium files first (they are the longest, and only one runs at a time), then
// the rest, larger files first, so that the last files to start are short ones and the workers
// end close together.
const size = (f) => readFileSync(f).length;
const queue = passes
  .flatMap((pass) => pass.files.map((file) => ({ pass, file, browser: isE2e(file), weight: (isE2e(file) ? 4 : isSlow(file) ? 2 : 1) * size(file) })))
  .sort((a, b) => b.weight - a.weight);
const total = queue.length;
const running = new Set();
const results = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const label = (job) => `[${job.pass.name}] ${job.file}`;

// One Chromium file at a time while other files wait: a second one would only compete for the
// cores. Once only Chromium files are left, they run side by side rather than leave a worker idle.
function next() {
  const browserBusy = [...running].some((j) => j.browser);
  const i = queue.findIndex((j) => !(j.browser && browserBusy));
  return i < 0 && queue.length > 0 ? 0 : i;
}

function start(job) {
  running.add(job);
  const began = (job.began = Date.now());
  const out = [];
  const child = spawn(process.execPath, nodeArgs([job.file]), { stdio: ['ignore', 'pipe', 'pipe'], env: envOf(job.pass) });
  job.child = child;
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => out.push(c));
  child.on('close', (code, signal) => {
    running.delete(job);
    const ok = code === 0;
    const ms = Date.now() - began;
    // The tests that failed, by name (TAP's `not ok` lines, subtests indented under their suite).
    const notOk = ok ? [] : Buffer.concat(out).toString('utf8').split('\n').filter((l) => /^\s*not ok \d+ - /.test(l));
    results.push({ job, ok, ms, notOk });
    process.stdout.write(`\n### ${ok ? 'ok' : 'FAILED'} ${label(job)} (${seconds(ms)}${ok ? '' : `, exit ${signal ?? code}`}; ${results.length}/${total})\n`);
    process.stdout.write(Buffer.concat(out));
    pump();
  });
}

function pump() {
  while (running.size < jobs && queue.length > 0) {
    const i = next();
    if (i < 0) break;
    start(queue.splice(i, 1)[0]);
  }
  if (running.size === 0 && queue.length === 0) finish();
}

function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log(`\n### durations (slowest first; ${jobs} at once; wall ${seconds(Date.now() - startedAt)})`);
  for (const r of [...results].sort((a, b) => b.ms - a.ms)) console.log(`${seconds(r.ms).padStart(9)}  ${r.ok ? '  ' : '✗ '}${label(r.job)}`);
  if (failed.length) {
    console.log(`\n### ${failed.length} of ${total} files FAILED (their output is above, under "### FAILED"):`);
    for (const r of failed) console.log(`  ${label(r.job)}${r.notOk.map((l) => `\n      ${l}`).join('')}`);
  } else console.log(`\n### all ${total} files passed`);
  process.exit(failed.length ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const job of running) job.child.kill(signal);
    process.exit(130);
  });
}
// A file's output shows only when it ends: say every few minutes which files are still running,
// so that a hung file is named before CI's time runs out.
setInterval(() => {
  const now = Date.now();
  console.log(`\n### still running: ${[...running].map((j) => `${label(j)} (${seconds(now - j.began)})`).join(', ')}`);
}, 300_000).unref();
const startedAt = Date.now();
pump();
