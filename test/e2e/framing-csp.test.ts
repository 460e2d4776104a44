/**
 * In Chromium: a page on another loopback port cannot frame the logged-in panel (CSP
 * frame-ancestors), and the panel, its pages and /docs render under the policy with no CSP
 * violation in the console.
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
    await login(page, panel.url, 'eddie');
    for (const [path, expect] of [
      ['/ui', /ranges|addresses|ip|audit/i],
      ['/ui/resources/ip_assets', /IP/],
      ['/ui/pages/data-ops', /Import|Export/i],
      ['/ui/pages/connectors', /Connector/i],
      ['/docs', /ipocket/i],
    ] as const) {
      await page.goto(`${panel.url}${path}`);
      await page.waitForLoadState('networkidle');
      assert.match(await page.locator('body').innerText(), expect, path);
    }
    await shot(page, 'framing-02-docs');
    assert.deepEqual(messages, []);
    await context.close();
  });
});
