/** A run whose process died is marked interrupted on start-up, and the Data Ops history says so and why. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { formatTimestamp } from '../../src/domain/time.js';
import { reapStaleRuns } from '../../src/services/run-liveness.js';
import { launchChromium, login, shot, startPanel, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
before(async () => {
  panel = await startPanel();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await panel?.stop();
});

test('the run history shows a killed run as interrupted, with the reason', async () => {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  const at = formatTimestamp();
  const [row] = await panel.tdb.db('import_runs').insert({ plugin: 'bundle', source: 'big.json', mode: 'apply', status: 'running', username: 'eddie', options: '{}', started_at: at, heartbeat_at: at, instance_id: `${os.hostname()}:${child.pid}:0a0b0c0d` }).returning('id');
  const id = Number((row as { id: number }).id);
  // What `serve` does before it listens.
  assert.deepEqual(await reapStaleRuns(panel.tdb.db), [id]);

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, panel.url, 'eddie');
  await page.goto(`${panel.url}/ui/pages/data-ops`);
  const cell = page.locator(`[data-testid="run-${id}"]`);
  await cell.waitFor();
  const text = (await cell.textContent()) ?? '';
  assert.match(text, /interrupted/);
  assert.match(text, /stopped before the run finished; nothing was written \(an apply is all-or-nothing\)/);
  await cell.scrollIntoViewIfNeeded();
  await shot(page, 'data-ops-interrupted-run');
  await context.close();
});
