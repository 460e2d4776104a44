/**
 * Cross-site request forgery in Chromium: a page on another loopback port (same site, so the
 * SameSite=Lax panel cookie goes along) tries a text/plain form import, fetch() writes and a GET
 * that used to archive. Every attempt is refused and nothing changes; the panel's own page still can.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { listenLoopback } from '../fakes/http-server.js';
import { launchChromium, login, shot, startPanel, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
let attacker: Awaited<ReturnType<typeof listenLoopback>>;
let assetId: number;
/** What reached the attacker's page back (the outcome of each of its fetches). */
const reports: string[] = [];

const BUNDLE_PREFIX = '{"schema_version":"1","app":"ipocket","data":{"ip_assets":[{"ip_address":"10.66.0.1","type":"VM"}]},"pad":"';

function attackPage(target: string, id: number): string {
  const report = (what: string) => `(r) => fetch('/report?${what}=' + r.status).catch(() => fetch('/report?${what}=blocked'))`;
  return `<!doctype html><html><body>
<form id="bundle" method="post" action="${target}/import/bundle" enctype="text/plain" target="sink">
  <input name='${BUNDLE_PREFIX}' value='"}'>
</form>
<form id="panel" method="post" action="${target}/ui/api/resources/ip_assets/records/${id}/archive" target="sink2"><input name="x" value="1"></form>
<iframe name="sink"></iframe><iframe name="sink2"></iframe>
<img src="${target}/ui/api/resources/ip_assets/records/${id}/archive">
<script>
  document.getElementById('bundle').submit();
  document.getElementById('panel').submit();
  const opts = { method: 'POST', credentials: 'include' };
  fetch('${target}/ip-assets/10.0.0.5/archive', { ...opts, mode: 'no-cors' }).then(() => fetch('/report?nocors=sent'));
  fetch('${target}/import/bundle', { ...opts, headers: { 'Content-Type': 'application/json' }, body: '${BUNDLE_PREFIX}"}' }).then(${report('cors')}, ${report('cors')});
  fetch('${target}/ui/logout', { ...opts, mode: 'no-cors' }).then(() => fetch('/report?logout=sent'));
</script></body></html>`;
}

describe('cross-site requests with the panel cookie (Chromium)', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    assetId = (await s.assets.create({ ip_address: '10.0.0.5', type: 'VM' })).id;
    attacker = await listenLoopback((req, res) => {
      if (req.url?.startsWith('/report')) {
        reports.push(req.url);
        return void res.end('ok');
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(attackPage(panel.url, assetId));
    });
  });
  after(async () => {
    await browser?.close();
    await attacker?.close();
    await panel?.stop();
  });

  test('a page on another port cannot import, archive or log out through the cookie; the panel itself still can', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, panel.url, 'eddie');
    const seen: { url: string; method: string; status: number }[] = [];
    const sent: { url: string; method: string }[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(panel.url)) sent.push({ url: r.url().slice(panel.url.length), method: r.method() });
    });
    page.on('response', (r) => {
      if (r.url().startsWith(panel.url)) seen.push({ url: r.url().slice(panel.url.length), method: r.request().method(), status: r.status() });
    });
    await page.goto(attacker.url);
    // Every attack request reaches the server (so each was refused there, not merely unsent).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (sent.length < 5 || reports.length < 3)) await page.waitForTimeout(100);
    await shot(page, 'csrf-01-attacker-page');
    // Every attack was sent (responses to no-cors requests are hidden from the page by CORP, so requests are counted).
    assert.ok(sent.filter((r) => r.method === 'POST').length >= 4, JSON.stringify(sent));
    assert.ok(sent.some((r) => r.method === 'GET' && r.url.endsWith('/archive')), JSON.stringify(sent));
    const writes = seen.filter((s) => s.method === 'POST');
    assert.ok(writes.length >= 2, JSON.stringify(seen));
    for (const w of writes) assert.equal(w.status, 403, JSON.stringify(w));
    assert.ok(reports.some((r) => r.includes('cors=')), reports.join(' '));

    const asset = (await panel.tdb.db('ip_assets').where({ id: assetId }).first()) as { archived: unknown };
    assert.ok(!asset.archived, 'the asset is not archived');
    assert.equal(await panel.tdb.db('ip_assets').where({ ip_address: '10.66.0.1' }).first(), undefined, 'nothing was imported');
    assert.equal(await panel.tdb.db('import_runs').first(), undefined, 'no import ran');

    // Still logged in (the logout was refused), and the panel's own origin may write.
    await page.goto(`${panel.url}/ui`);
    assert.equal(new URL(page.url()).pathname, '/ui');
    const own = await page.evaluate(async () => (await fetch('/ip-assets/10.0.0.5/archive', { method: 'POST' })).status);
    assert.equal(own, 204);
    assert.ok(((await panel.tdb.db('ip_assets').where({ id: assetId }).first()) as { archived: unknown }).archived);
    await context.close();
  });
});
