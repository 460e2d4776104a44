/**
 * In Chromium: GraphiQL at /graphql loads offline (every request stays on our origin), renders
 * under the app's CSP with no violation, and runs a query with the panel session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;

describe('GraphiQL (Chromium)', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('GraphiQL loads from our origin only, with no CSP violation, and runs a query as the logged-in viewer', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage();
    const urls: string[] = [];
    trackRequests(page, urls);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation ${e.effectiveDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
    });
    await login(page, panel.url, 'vera');
    await page.goto(`${panel.url}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    // The default query asks for ipAssets; run it (the execute button) with the panel cookie.
    const answer = page.waitForResponse((r) => r.url() === `${panel.url}/graphql` && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('ipAssets'));
    await page.locator('.graphiql-execute-button').click();
    const res = await answer;
    assert.equal(res.status(), 200);
    assert.deepEqual(await res.json(), { data: { ipAssets: { total: 0, items: [] } } });
    await page.locator('.graphiql-response').getByText('"total": 0').waitFor({ timeout: 10_000 });
    await shot(page, 'graphiql-01-query');
    const foreign = urls.filter((u) => !isLoopback(u));
    assert.deepEqual(foreign, [], 'requests left the machine');
    assert.ok(urls.some((u) => u.endsWith('/graphql/assets/graphiql.js')));
    assert.deepEqual(problems, []);
  });
});
