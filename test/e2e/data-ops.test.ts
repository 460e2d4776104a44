/** The Data Ops page in Chromium: CSV upload, dry-run preview, apply, run history with its log, per-row errors, export, viewer. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakePrometheus, vectorOf } from '../fakes/prometheus.js';
import { downloadText, isLoopback, launchChromium, login, SCREENSHOTS, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

const GOOD_CSV = ['ip_address,type,project_name,host_name,tags,notes', '10.77.0.1,VM,,,dataops,first from the panel', '10.77.0.2,OS,,,dataops,second', '2001:db8:77::3,VIP,,,,third (v6)'].join('\n') + '\n';
const BAD_CSV = ['ip_address,type,project_name,host_name,tags,notes', '10.78.0.1,VM,,,,fine', '10.78.0.300,VM,,,,bad address', '10.78.0.3,SWITCH,,,,bad type', '10.78.0.4,VM,,,bad tag!,bad tag'].join('\n') + '\n';

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  trackRequests(page, requested);
  return { context, page };
}

async function openDataOps(page: Page, user: string): Promise<void> {
  await login(page, panel.url, user);
  await page.goto(`${panel.url}/ui/pages/data-ops`);
  await page.waitForSelector('[data-testid="plugin-select"]');
}

async function upload(page: Page, name: string, body: string): Promise<void> {
  await page.selectOption('[data-testid="plugin-select"]', 'csv');
  await page.setInputFiles('[data-testid="import-file"]', { name, mimeType: 'text/csv', buffer: Buffer.from(body) });
}

const count = async (table: string, where: Record<string, unknown> = {}): Promise<number> => Number(((await panel.tdb.db(table).where(where).count({ n: '*' })) as { n: number | string }[])[0]!.n);

describe('the Data Ops page in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('an editor dry-runs a CSV (nothing written), applies it, and finds the run and its log in the history', async () => {
    const { context, page } = await newPage();
    await openDataOps(page, 'eddie');
    // The options form is generated from the plugin's schema (booleans as checkboxes).
    await page.selectOption('[data-testid="plugin-select"]', 'csv');
    assert.ok(await page.isVisible('[data-testid="opt-merge_tags"][type="checkbox"]'));
    assert.equal(await page.getAttribute('[data-testid="import-file"]', 'accept'), '.csv');
    // The original's CSV templates are linked, and download.
    const links = await page.locator('[data-testid="csv-templates"] a').evaluateAll((as) => as.map((el) => el.getAttribute('href')));
    assert.deepEqual(links, ['/static/samples/hosts.csv', '/static/samples/ip-assets.csv']);
    const template = await page.request.get(new URL(links[1]!, page.url()).toString());
    assert.equal(template.status(), 200);
    assert.match(await template.text(), /^ip_address,type,project_name,host_name,notes,archived\n/);
    await upload(page, 'ip-assets.csv', GOOD_CSV);
    await shot(page, 'data-ops-01-import');
    await page.click('[data-testid="dry-run"]');
    await page.waitForSelector('[data-testid="preview-table"]');
    // Three IPs and their new tag.
    assert.equal((await page.textContent('[data-testid="count-CREATE"]'))?.replace(/\D/g, ''), '4');
    assert.match((await page.textContent('[data-testid="preview-counts"]')) ?? '', /ip assets: 3 create, 0 update, 0 skip/);
    const rows = await page.locator('[data-testid="preview-table"] tbody tr').allInnerTexts();
    assert.equal(rows.filter((r) => r.includes('CREATE')).length >= 3, true, rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('10.77.0.1') && r.includes('ip-assets.csv:line 2')), rows.join('\n'));
    assert.match(await page.textContent('[data-testid="import-preview"]') ?? '', /nothing was written/);
    assert.equal(await count('ip_assets'), 0, 'a dry run writes nothing');
    await shot(page, 'data-ops-03-preview');

    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="import-preview"] >> text=Applied');
    assert.equal(await count('ip_assets'), 3);
    assert.equal(await count('ip_assets', { ip_address: '10.77.0.2', type: 'OS' }), 1);

    // The history lists both runs (newest first); a click shows the apply's log.
    const applyRun = (await panel.tdb.db('import_runs').where({ mode: 'apply' }).first()) as { id: number };
    await page.waitForSelector(`[data-testid="run-${applyRun.id}"]`);
    const row = await page.textContent(`[data-testid="run-${applyRun.id}"]`);
    assert.match(row ?? '', /eddie/);
    assert.match(row ?? '', /csv/);
    assert.match(row ?? '', /apply/);
    assert.match(row ?? '', /succeeded/);
    assert.match(row ?? '', /4 \/ 0 \/ 0/);
    await page.click(`[data-testid="run-${applyRun.id}"]`);
    await page.waitForSelector('[data-testid="run-log"]');
    assert.match(await page.textContent('[data-testid="run-log"]') ?? '', /ip-assets\.csv: read as ip_assets/);
    await shot(page, 'data-ops-04-applied-history');
    await context.close();
  });

  test('a malformed CSV shows per-row errors with their lines and writes nothing', async () => {
    const { context, page } = await newPage();
    await openDataOps(page, 'eddie');
    await upload(page, 'ip-assets.csv', BAD_CSV);
    await page.click('[data-testid="dry-run"]');
    await page.waitForSelector('[data-testid="import-errors"]');
    const errors = (await page.textContent('[data-testid="import-errors"]')) ?? '';
    assert.match(errors, /ip-assets\.csv:line 3/);
    assert.match(errors, /ip-assets\.csv:line 4/);
    assert.match(errors, /ip-assets\.csv:line 5/);
    assert.match(errors, /bad tag!/);
    // Apply is refused by the server as a whole; its errors are shown the same way.
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="import-error"] >> text=nothing was written');
    assert.match((await page.textContent('[data-testid="import-errors"]')) ?? '', /ip-assets\.csv:line 3/);
    assert.equal(await count('ip_assets', { ip_address: '10.78.0.1' }), 0);
    await shot(page, 'data-ops-05-errors');
    await context.close();
  });

  test('the Export tab downloads a CSV holding the imported rows', async () => {
    const { context, page } = await newPage();
    await openDataOps(page, 'eddie');
    await page.click('[data-testid="tab-export"]');
    await page.waitForSelector('[data-testid="export-link"]');
    assert.equal(await page.getAttribute('[data-testid="export-link"]', 'href'), '/export/ip-assets.csv');
    await shot(page, 'data-ops-02-export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-link"]')]);
    assert.equal(download.suggestedFilename(), 'ip-assets.csv');
    const text = await downloadText(download);
    assert.match(text, /^ip_address,type,project_name,host_name,tags,notes/);
    for (const ip of ['10.77.0.1', '10.77.0.2', '2001:db8:77::3']) assert.ok(text.includes(ip), `${ip} in the export`);
    assert.ok(text.includes('first from the panel'));
    // Filters go into the (same-origin) URL.
    await page.click('[data-testid="export-format-json"]');
    await page.locator('label:has-text("OS") input[type="checkbox"]').check();
    assert.equal(await page.getAttribute('[data-testid="export-link"]', 'href'), '/export/ip-assets.json?type=OS');
    await context.close();
  });

  test('a viewer may dry-run but sees Apply disabled with the reason', async () => {
    const { context, page } = await newPage();
    await openDataOps(page, 'vera');
    // Two new IPv4s; the IPv6 row already exists with other notes (an UPDATE with its diff).
    await upload(page, 'ip-assets.csv', GOOD_CSV.replaceAll('10.77.', '10.79.').replace('third (v6)', 'third renamed'));
    assert.equal(await page.isDisabled('[data-testid="apply"]'), true);
    assert.match((await page.textContent('[data-testid="apply-reason"]')) ?? '', /editor role/);
    await page.click('[data-testid="dry-run"]');
    await page.waitForSelector('[data-testid="preview-table"]');
    assert.equal(await page.isDisabled('[data-testid="apply"]'), true);
    const update = await page.locator('[data-testid="preview-table"] tbody tr[data-action="UPDATE"]').innerText();
    assert.match(update, /2001:db8:77::3/);
    assert.match(update, /notes: third \(v6\)\s*→\s*third renamed/);
    assert.equal(await count('ip_assets', { ip_address: '10.79.0.1' }), 0);
    assert.equal(await count('ip_assets', { ip_address: '2001:db8:77::3', notes: 'third (v6)' }), 1);
    await shot(page, 'data-ops-06-viewer');
    await page.click('[data-testid="show-UPDATE"]');
    assert.equal(await page.locator('[data-testid="preview-table"] tbody tr').count(), 1);
    await page.locator('[data-testid="import-preview"]').screenshot({ path: path.join(SCREENSHOTS, 'data-ops-06b-update-diff.png') });

    // Nmap: the form has a select for the enum and a list field; example commands are text only.
    await page.selectOption('[data-testid="plugin-select"]', 'nmap');
    assert.match((await page.textContent('[data-testid="nmap-examples"]')) ?? '', /nmap -sn -oX scan\.xml 10\.0\.0\.0\/24/);
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="opt-type"]')?.tagName), 'SELECT');
    assert.equal(await page.getAttribute('[data-testid="import-file"]', 'accept'), '.xml');
    // A file over the upload cap is refused before sending, with the limit named.
    await page.setInputFiles('[data-testid="import-file"]', { name: 'scan.xml', mimeType: 'text/xml', buffer: Buffer.alloc(11 * 1024 * 1024, 32) });
    assert.match((await page.textContent('[data-testid="upload-too-large"]')) ?? '', /scan\.xml is 11 MB: larger than the upload limit of 10 MB/);
    assert.equal(await page.isDisabled('[data-testid="dry-run"]'), true);
    await shot(page, 'data-ops-07-nmap-too-large');
    await context.close();
  });

  test('a connector runs from the same form: secrets as password fields, a status line while it runs, its preview', async () => {
    const prom = await startFakePrometheus(vectorOf(['192.0.2.41:9100', '[2001:db8::41]:9100']));
    try {
      const { context, page } = await newPage();
      await openDataOps(page, 'eddie');
      await page.selectOption('[data-testid="plugin-select"]', 'prometheus');
      assert.equal(await page.getAttribute('[data-testid="opt-token"]', 'type'), 'password');
      assert.equal(await page.getAttribute('[data-testid="opt-timeout"]', 'type'), 'number');
      assert.equal(await page.inputValue('[data-testid="opt-label"]'), 'instance', 'defaults prefill the form');
      await page.fill('[data-testid="opt-url"]', prom.url);
      await page.fill('[data-testid="opt-token"]', 'data-ops-secret');
      await page.fill('[data-testid="opt-tags"]', 'scraped, lab');
      // Prometheus answers slowly, so the page shows the running run meanwhile.
      prom.answer(vectorOf(['192.0.2.41:9100', '[2001:db8::41]:9100']), 3000);
      await page.click('[data-testid="dry-run"]');
      await page.waitForSelector('[data-testid="run-status"] >> text=/Dry run running… \\d+ s · run #\\d+/');
      await shot(page, 'data-ops-08-connector-running');
      await page.waitForSelector('[data-testid="preview-table"]');
      const rows = await page.locator('[data-testid="preview-table"] tbody tr[data-action="CREATE"]').allInnerTexts();
      assert.ok(rows.some((r) => r.includes('192.0.2.41') && /tags: .*lab/.test(r)), rows.join('\n'));
      assert.equal(prom.auth.at(-1), 'Bearer data-ops-secret');
      const run = (await panel.tdb.db('import_runs').where({ plugin: 'prometheus' }).orderBy('id', 'desc').first()) as { options: string };
      assert.doesNotMatch(run.options, /data-ops-secret/, 'the secret is not stored with the run');
      assert.equal(await count('ip_assets', { ip_address: '192.0.2.41' }), 0);
      await context.close();
    } finally {
      await prom.close();
    }
  });

  test('option forms show the schema defaults, and what is unticked or emptied runs as off', async () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<nmaprun scanner="nmap" args="nmap -sn -oX scan.xml 10.76.0.0/30" start="1795294634" version="7.93" xmloutputversion="1.05">',
      '<host><status state="up" reason="arp-response"/><address addr="10.76.0.1" addrtype="ipv4"/><address addr="00:50:56:AA:BB:01" addrtype="mac" vendor="VMware"/><hostnames></hostnames></host>',
      '<runstats><finished time="1795294634" elapsed="0.1" exit="success"/><hosts up="1" down="0" total="1"/></runstats>',
      '</nmaprun>',
    ].join('\n');
    const prom = await startFakePrometheus(vectorOf(['192.0.2.76:9100']), { https: true });
    try {
      const { context, page } = await newPage();
      await openDataOps(page, 'eddie');
      await page.selectOption('[data-testid="plugin-select"]', 'nmap');
      // What a run uses when nothing is touched is what the form shows.
      assert.equal(await page.isChecked('[data-testid="opt-vendor_tag"]'), true, 'Vendor tag defaults to on');
      assert.equal(await page.isChecked('[data-testid="opt-mark_last_seen"]'), true, 'Mark last seen defaults to on');
      assert.equal(await page.inputValue('[data-testid="opt-tags"]'), 'nmap', 'the default tags are shown');
      await shot(page, 'data-ops-09-nmap-defaults');
      await page.uncheck('[data-testid="opt-vendor_tag"]');
      await page.uncheck('[data-testid="opt-mark_last_seen"]');
      await page.fill('[data-testid="opt-tags"]', '');
      await page.setInputFiles('[data-testid="import-file"]', { name: 'scan.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) });
      await page.click('[data-testid="dry-run"]');
      await page.waitForSelector('[data-testid="preview-table"]');
      const created = await page.locator('[data-testid="preview-table"] tbody tr[data-action="CREATE"]', { hasText: '10.76.0.1' }).innerText();
      assert.doesNotMatch(created, /tags:/, `unticked vendor tag and emptied tags add no tag: ${created}`);
      assert.doesNotMatch(created, /last_seen/, `unticked "Mark last seen" records no last seen: ${created}`);

      // TLS verification can be turned off: a self-signed Prometheus is read once it is unticked.
      await page.selectOption('[data-testid="plugin-select"]', 'prometheus');
      assert.equal(await page.isChecked('[data-testid="opt-tls_verify"]'), true, 'TLS verify defaults to on');
      assert.equal(await page.inputValue('[data-testid="opt-tags"]'), 'prometheus');
      await page.fill('[data-testid="opt-url"]', prom.url);
      await page.click('[data-testid="dry-run"]');
      await page.waitForSelector('[data-testid="import-error"]');
      assert.match((await page.textContent('[data-testid="import-error"]')) ?? '', /certificate/i, 'verified by default: the self-signed certificate is refused');
      await page.uncheck('[data-testid="opt-tls_verify"]');
      await page.click('[data-testid="dry-run"]');
      await page.waitForSelector('[data-testid="preview-table"]');
      const row = await page.locator('[data-testid="preview-table"] tbody tr[data-action="CREATE"]', { hasText: '192.0.2.76' }).innerText();
      assert.match(row, /tags: prometheus/);
      await shot(page, 'data-ops-10-tls-off');
      assert.equal(await count('ip_assets', { ip_address: '192.0.2.76' }), 0);
      await context.close();
    } finally {
      await prom.close();
    }
  });

  test('no request left loopback', () => {
    assert.ok(requested.length > 0);
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
