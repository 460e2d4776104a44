/**
 * Starts the real app (production mode: components prebuilt into a temp folder, served by
 * Express 5) on 127.0.0.1:<random>, with users of each role, and a Chromium driven by playwright-core.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Download, LaunchOptions, Page } from 'playwright-core';
import { bundleSourcesDigest, DIGEST_FILE } from '../../src/admin/bundle-digest.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-output', 'screenshots');
export const PASSWORD = 'correct-horse-9';

export interface Panel {
  url: string;
  tdb: TestDb;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Bundles the components like `npm run build` does, once per content of the sources: the other
 * e2e files and the PostgreSQL pass reuse it, and so does a run after `npm run build` (CI's),
 * whose build/adminjs/bundle.js names the sources it was made from. AdminJS fixes its bundle
 * folder when imported, so this process serves from the folder it was pointed at first.
 */
async function prepareComponentBundle(): Promise<void> {
  const digest = bundleSourcesDigest();
  const cached = path.join(tmpdir(), `ipocket-e2e-bundle-${digest}`);
  const use = () => {
    process.env.NODE_ENV = 'production';
    process.env.ADMIN_JS_TMP_DIR = cached;
  };
  if (existsSync(path.join(cached, 'bundle.js'))) return use();
  const built = path.resolve('build', 'adminjs');
  const builtDigest = path.join(built, DIGEST_FILE);
  if (existsSync(builtDigest) && readFileSync(builtDigest, 'utf8').trim() === digest) {
    keep(path.join(built, 'bundle.js'), cached);
    return use();
  }
  process.env.ADMIN_JS_TMP_DIR = mkdtempSync(path.join(tmpdir(), 'ipocket-e2e-bundle-'));
  const { bundlePanelComponents } = await import('../../src/admin/bundle.js');
  keep(await bundlePanelComponents(), cached);
}

/** Copies a bundle into the cache folder under its final name only once complete (files run one after another, worktrees beside each other). */
function keep(bundle: string, cached: string): void {
  mkdirSync(cached, { recursive: true });
  const partial = path.join(cached, `bundle.js.${process.pid}`);
  copyFileSync(bundle, partial);
  renameSync(partial, path.join(cached, 'bundle.js'));
}

/** Bundles the components (or reuses that bundle), then builds and starts the app. */
export async function startPanel(): Promise<Panel> {
  await prepareComponentBundle();
  const [{ loadConfig }, { buildApp }, { UsersService }, { SYSTEM_ACTOR }] = await Promise.all([
    import('../../src/config.js'),
    import('../../src/server.js'),
    import('../../src/services/users.js'),
    import('../../src/services/context.js'),
  ]);
  const tdb = await createTestDb();
  const users = new UsersService({ db: tdb.db, actor: SYSTEM_ACTOR });
  for (const [username, role] of [['root', 'superuser'], ['eddie', 'editor'], ['vera', 'viewer']] as const) await users.create({ username, password: PASSWORD, role });
  const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-e2e-data-')), SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-42' });
  const app = await buildApp({ config, db: tdb.db });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    tdb,
    server,
    async stop() {
      await new Promise((r) => server.close(r));
      await tdb.cleanup();
    },
  };
}

/** How the suite starts Chromium (one per file, or once per run: test/e2e/browser-server.ts). */
export function chromiumLaunchOptions(): LaunchOptions {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-default-apps'],
  };
}

/** Where scripts/run-tests.mjs tells the files of a run the address of the one Chromium they share. */
export const SHARED_BROWSER_ENV = 'IPOCKET_E2E_BROWSER_WS';

/**
 * Chromium from Debian; the suite fails (not skips) when it is missing. Under scripts/run-tests.mjs
 * the files connect to the run's one Chromium (a file's contexts are its own, and closing its
 * Browser closes them and disconnects), which spares each file a browser start; run alone, a file
 * starts its own.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const shared = process.env[SHARED_BROWSER_ENV];
  if (shared) return chromium.connect(shared);
  return chromium.launch(chromiumLaunchOptions());
}

/** A download's content (the file is the browser's, which may be another process's: no path). */
export async function downloadText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Records every URL the page requests (to prove nothing leaves loopback). */
export function trackRequests(page: Page, into: string[]): void {
  page.on('request', (r) => into.push(r.url()));
}

export function isLoopback(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function login(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/ui/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${url}/ui`), page.click('button:has-text("Log in")')]);
}

/** A page of one signed-in user in its own browser context (close the context when done). */
export interface UserPage {
  context: BrowserContext;
  page: Page;
}

export interface PanelSession {
  /** Set in the suite's `before`: the running app and its Chromium. */
  readonly panel: Panel;
  readonly browser: Browser;
  /** Every URL any page of the session requested (see `offLoopback`). */
  readonly requested: string[];
  /** A new context of `width`×`height` (default 1366×900) signed in as `user` ('root', 'eddie', 'vera'), at `path` when given. */
  open(user: string, options?: { width?: number; height?: number; path?: string; acceptDownloads?: boolean }): Promise<UserPage>;
  /** A call to the app's REST API with `user`'s bearer token (the seeding tests do through the same API the pages use); throws on a non-2xx answer. */
  rest<T = unknown>(user: string, method: string, path: string, body?: unknown): Promise<T>;
  /** The requested URLs that left loopback (a test asserts this is empty). */
  offLoopback(): string[];
}

/**
 * The set-up every e2e file repeats, as hooks of the calling suite: start the app and Chromium
 * before its tests, stop them after. Call it in a `describe` body; its fields are there once
 * `before` ran. Users: root (superuser), eddie (editor), vera (viewer), password PASSWORD.
 */
export function withPanel(): PanelSession {
  let panel: Panel | undefined;
  let browser: Browser | undefined;
  const requested: string[] = [];
  const tokens = new Map<string, string>();
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`withPanel: ${what} is used before the suite's before hook ran`);
    return v;
  };
  const token = async (user: string): Promise<string> => {
    const known = tokens.get(user);
    if (known) return known;
    const res = await fetch(`${ready(panel, 'panel').url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }) });
    if (!res.ok) throw new Error(`login of ${user} → ${res.status} ${await res.text()}`);
    const t = ((await res.json()) as { access_token: string }).access_token;
    tokens.set(user, t);
    return t;
  };
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });
  return {
    get panel() {
      return ready(panel, 'panel');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    requested,
    async open(user, options = {}) {
      const context = await ready(browser, 'browser').newContext({ viewport: { width: options.width ?? 1366, height: options.height ?? 900 }, acceptDownloads: options.acceptDownloads ?? false });
      const page = await context.newPage();
      trackRequests(page, requested);
      const url = ready(panel, 'panel').url;
      await login(page, url, user);
      if (options.path) await page.goto(`${url}${options.path}`);
      return { context, page };
    },
    async rest<T>(user: string, method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${ready(panel, 'panel').url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${await token(user)}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    offLoopback: () => requested.filter((u) => !isLoopback(u)),
  };
}
