/**
 * The IP assets workspace (issue 5) in Chromium over 1M assets: how long a filter change takes
 * from the user's input to the new page being rendered (performance.now() in the page, from the
 * change event until the table shows the new state and a frame has been painted), plus the
 * API request's own duration from the Resource Timing entries.
 * Run: npm run bench -- ip-workspace   (IPOCKET_BENCH_ASSETS overrides the size)
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openBenchDb } from './dataset.js';
import { fmt } from './stats.js';

const PASSWORD = 'bench-password-1';
const RUNS = 15;

type Change = { kind: 'select'; testId: string; value: string } | { kind: 'check'; testId: string; value: boolean } | { kind: 'search'; value: string } | { kind: 'next' };

/** Applies one change in the page and resolves with [render ms, API ms] once the new rows are painted. */
async function timeChange(page: Page, change: Change): Promise<[number, number]> {
  return page.evaluate(async (c) => {
    const table = document.querySelector('[data-testid="ip-table"]')!;
    const before = table.getAttribute('data-state');
    performance.clearResourceTimings();
    const t0 = performance.now();
    if (c.kind === 'select') {
      const el = document.querySelector<HTMLSelectElement>(`[data-testid="${c.testId}"]`)!;
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(el, c.value);
      el.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (c.kind === 'check') {
      const el = document.querySelector<HTMLInputElement>(`[data-testid="${c.testId}"]`)!;
      if (el.checked !== c.value) el.click();
    } else if (c.kind === 'search') {
      const el = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, c.value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      document.querySelector<HTMLButtonElement>('[data-testid="next-page"]')!.click();
    }
    await new Promise<void>((resolve, reject) => {
      const deadline = t0 + 20_000;
      const tick = (): void => {
        const state = table.getAttribute('data-state');
        if (table.getAttribute('data-loading') === 'false' && state !== before && state === location.search) resolve();
        else if (performance.now() > deadline) reject(new Error(`no render for ${JSON.stringify(c)} (${state} vs ${location.search})`));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // One more frame: the new rows have been painted.
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const rendered = performance.now() - t0;
    const call = performance.getEntriesByType('resource').filter((e) => e.name.includes('/ip-assets?')).pop();
    return [rendered, call ? call.duration : NaN] as [number, number];
  }, change);
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}

export async function run(): Promise<void> {
  const n = Number(process.env.IPOCKET_BENCH_ASSETS ?? 1_000_000);
  process.env.NODE_ENV = 'production';
  process.env.ADMIN_JS_TMP_DIR = mkdtempSync(path.join(tmpdir(), 'ipocket-bench-bundle-'));
  const { bundlePanelComponents } = await import('../src/admin/bundle.js');
  await bundlePanelComponents();
  const [{ loadConfig }, { buildApp }, { UsersService }, { SYSTEM_ACTOR }, { launchChromium }] = await Promise.all([
    import('../src/config.js'),
    import('../src/server.js'),
    import('../src/services/users.js'),
    import('../src/services/context.js'),
    import('../test/e2e/harness.js'),
  ]);
  const db = await openBenchDb(n);
  const users = new UsersService({ db, actor: SYSTEM_ACTOR });
  if (!(await users.list()).some((u) => u.username === 'bench-ipw')) await users.create({ username: 'bench-ipw', password: PASSWORD, role: 'superuser' });
  const projects = (await db('projects').select('id', 'name').orderBy('id').limit(2)) as { id: number; name: string }[];
  const tag = ((await db('tags').select('name').orderBy('id').first()) as { name: string }).name;
  const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-bench-ipw-')), SESSION_SECRET: 'b'.repeat(40) });
  const app = await buildApp({ config, db });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchChromium();
  const requested: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); page.evaluate bodies need it defined.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/ui/login`);
    await page.fill('#username', 'bench-ipw');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/ui`), page.click('button:has-text("Log in")')]);
    const list = `${base}/ui/resources/ip_assets`;
    await page.goto(list);
    await page.waitForSelector('[data-testid="ip-table"][data-loading="false"] tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="filter-project"] option').length > 2);

    // Each case: from the unfiltered list (reset by navigation, not timed), one change, timed.
    const cases: [string, string, Change][] = [
      ['type = BMC', '', { kind: 'select', testId: 'filter-type', value: 'BMC' }],
      [`project = ${projects[0]!.name}`, '', { kind: 'select', testId: 'filter-project', value: String(projects[0]!.id) }],
      ['project = Unassigned', '', { kind: 'select', testId: 'filter-project', value: 'unassigned' }],
      ['assignment = unassigned only', '', { kind: 'select', testId: 'filter-assignment', value: 'unassigned' }],
      ['archived only', '', { kind: 'check', testId: 'filter-archived', value: true }],
      [`+ type OS on project ${projects[1]!.name}`, `?project=${projects[1]!.id}`, { kind: 'select', testId: 'filter-type', value: 'OS' }],
      [`tag match any→not (tags=${tag})`, `?tags=${tag}`, { kind: 'select', testId: 'filter-match', value: 'not' }],
      [`tag match any→all (tags=${tag})`, `?tags=${tag}`, { kind: 'select', testId: 'filter-match', value: 'all' }],
      ['page size 20 → 100', '', { kind: 'select', testId: 'page-size', value: '100' }],
      ['next page (page 1 → 2)', '', { kind: 'next' }],
      ['search "10.1.2." (incl. 250 ms debounce)', '', { kind: 'search', value: '10.1.2.' }],
      ['search "gateway" notes (incl. 250 ms debounce)', '', { kind: 'search', value: 'gateway' }],
    ];
    const rows: Record<string, string>[] = [];
    for (const [name, start, change] of cases) {
      const render: number[] = [];
      const apiMs: number[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        await page.goto(`${list}${start}`);
        await page.waitForSelector('[data-testid="ip-table"][data-loading="false"] tbody tr');
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="filter-project"] option').length > 2);
        const [r, a] = await timeChange(page, change);
        if (i >= 2) {
          render.push(r);
          apiMs.push(a);
        }
      }
      const rs = stats(render);
      const as = stats(apiMs);
      const total = await page.getByTestId('total').innerText();
      rows.push({ change: name, 'render median (ms)': fmt(rs.median), 'render p95 (ms)': fmt(rs.p95), 'API median (ms)': fmt(as.median), result: total });
    }
    console.log(`\nIP workspace in Chromium, SQLite, ${n.toLocaleString('en')} assets: filter change → new page painted (median / p95 of ${RUNS})`);
    console.table(rows);
    const outside = requested.filter((u) => !/^http:\/\/127\.0\.0\.1[:/]/.test(u) && !u.startsWith('data:'));
    if (outside.length) throw new Error(`requests left loopback: ${outside.join(', ')}`);
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
    await db.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
