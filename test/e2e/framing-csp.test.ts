/**
 * In Chromium: a page on another loopback port cannot frame the logged-in panel (CSP
 * frame-ancestors); the panel, its login page and /docs render under the policy (script-src and
 * style-src: our files and this answer's nonce) with no CSP violation; a script injected into
 * the page does not run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { listenLoopback } from '../fakes/http-server.js';
import { launchChromium, login, shot, startPanel, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
let attacker: Awaited<ReturnType<typeof listenLoopback>>;

function cspMessages(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if (/Content Security Policy|frame-ancestors/i.test(m.text())) into.push(m.text());
  });
}

/** Every securitypolicyviolation event of the page's documents ("directive: blocked URI"), kept across navigations in sessionStorage. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const seen = JSON.parse(sessionStorage.getItem('csp-violations') ?? '[]') as string[];
      seen.push(`${location.pathname} ${e.effectiveDirective}: ${e.blockedURI || 'inline'} ${e.sample} (${e.sourceFile}:${e.lineNumber}:${e.columnNumber})`);
      sessionStorage.setItem('csp-violations', JSON.stringify(seen));
    });
  });
}
const violations = (page: Page): Promise<string[]> => page.evaluate(() => JSON.parse(sessionStorage.getItem('csp-violations') ?? '[]') as string[]);

describe('framing and CSP (Chromium)', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    attacker = await listenLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><p>attacker</p><iframe id="victim" src="${panel.url}/ui" width="800" height="500"></iframe>`);
    });
  });
  after(async () => {
    await browser?.close();
    await attacker?.close();
    await panel?.stop();
  });

  test('another site cannot frame the logged-in panel', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const messages: string[] = [];
    cspMessages(page, messages);
    await login(page, panel.url, 'eddie');
    await page.goto(attacker.url);
    await page.waitForTimeout(1500);
    await shot(page, 'framing-01-attacker');
    const victim = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(victim, 'the iframe exists');
    assert.ok(messages.some((m) => /frame-ancestors/.test(m)) || victim.url().startsWith('chrome-error:'), `${victim.url()} ${messages.join(' | ')}`);
    // Nothing of the panel rendered inside it.
    const text = await victim.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    assert.doesNotMatch(text, /IP assets|Dashboard|ipocket/i);
    await context.close();
  });

  test('the panel, its pages and /docs render with no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const messages: string[] = [];
    cspMessages(page, messages);
    await recordViolations(page);
    const policy = (await page.goto(`${panel.url}/ui/login`))!.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    assert.match(policy, /style-src 'self' 'nonce-/);
    assert.doesNotMatch(policy.match(/script-src [^;]*/)![0], /unsafe-inline|unsafe-eval/);
    await shot(page, 'framing-00-login');
    await login(page, panel.url, 'eddie');
    // An asset to edit: AdminJS's edit form draws its selects with react-select, whose emotion sheets must carry the nonce too.
    const asset = await page.evaluate(async () => {
      const res = await fetch('/ip-assets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ip_address: '10.77.0.1', type: 'VM' }) });
      return ((await res.json()) as { id: number }).id;
    });
    for (const [path, expect] of [
      ['/ui', /ranges|addresses|ip|audit/i],
      ['/ui/resources/ip_assets', /IP/],
      ['/ui/pages/data-ops', /Import|Export/i],
      ['/ui/pages/connectors', /Connector/i],
      [`/ui/resources/ip_assets/records/${asset}/edit`, /IP address/],
      ['/ui/resources/audit_log', /CREATE/],
      ['/docs', /ipocket/i],
    ] as const) {
      await page.goto(`${panel.url}${path}`);
      await page.waitForLoadState('networkidle');
      assert.match(await page.locator('body').innerText(), expect, path);
      if (path.endsWith('/edit')) {
        // A styled react-select control is a flex row; refused sheets leave its value, × and ⌄ stacked as plain blocks.
        const control = page.locator('[class$="-control"]').first();
        assert.equal(await control.evaluate((el) => getComputedStyle(el).display), 'flex', 'the Type select is styled');
        await shot(page, 'framing-04-ip-edit');
      }
    }
    await shot(page, 'framing-02-docs');
    await page.goto(`${panel.url}/ui`);
    await page.waitForLoadState('networkidle');
    await shot(page, 'framing-03-dashboard');
    await page.goto(`${panel.url}/ui/logout`);
    assert.match(await page.locator('body').innerText(), /Log out of ipocket/);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(messages, []);
    await context.close();
  });

  test('an inline script injected into a panel page is refused, and nothing else is', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await recordViolations(page);
    await login(page, panel.url, 'eddie');
    await page.waitForLoadState('networkidle');
    const ran = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      // As an injection would arrive: a <script> element, and an event handler attribute.
      const script = document.createElement('script');
      script.textContent = 'window.injectedScriptRan = true';
      document.body.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="/favicon.ico?x" onload="window.injectedHandlerRan = true">';
      document.body.append(holder);
      await new Promise((r) => setTimeout(r, 500));
      return { script: w.injectedScriptRan === true, handler: w.injectedHandlerRan === true, panelRuns: typeof w.AdminJS === 'object' };
    });
    assert.deepEqual(ran, { script: false, handler: false, panelRuns: true });
    const seen = await violations(page);
    assert.ok(seen.some((v) => /^\/ui script-src-elem: inline/.test(v)), seen.join(' | '));
    assert.ok(seen.some((v) => /^\/ui script-src-attr: inline/.test(v)), seen.join(' | '));
    assert.equal(seen.length, 2, seen.join(' | '));
    await context.close();
  });
});
