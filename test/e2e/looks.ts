/**
 * Screenshots of every panel page the components draw, for a before/after look when components
 * move (not a test: it asserts nothing). Seeds through the REST API only, so it runs the same on
 * any commit: `node --import tsx test/e2e/looks.ts before` → test-output/screenshots/looks-before-*.png
 */
import type { Page } from 'playwright-core';
import { PASSWORD, launchChromium, login, shot, startPanel } from './harness.js';

const prefix = process.argv[2] ?? 'now';
const CSV = 'ip_address,type,project_name,host_name,notes,archived\n10.9.0.1,VM,blue-team,,from csv,false\n10.0.0.2,OS,lab,,changed,false\n';

const panel = await startPanel();
const browser = await launchChromium();
try {
  const token = await (async () => {
    const res = await fetch(`${panel.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'eddie', password: PASSWORD }) });
    return ((await res.json()) as { access_token: string }).access_token;
  })();
  const post = async (path: string, body: unknown): Promise<{ id: number }> => {
    const res = await fetch(`${panel.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: number };
  };
  const blue = await post('/projects', { name: 'blue-team', color: '#1e40af' });
  const lab = await post('/projects', { name: 'lab', color: '#fde68a' });
  for (const [name, color] of [['prod', '#dc2626'], ['edge', '#a7f3d0'], ['db', '#6366f1'], ['web', '#f59e0b'], ['backup', '#0ea5e9']] as const) await post('/tags', { name, color });
  const srv = await post('/hosts', { name: 'srv-01' });
  await post('/ip-assets', { ip_address: '10.0.0.10', type: 'OS', project_id: blue.id, host_id: srv.id, tags: ['prod', 'edge', 'db', 'web', 'backup'], notes: 'primary database' });
  await post('/ip-assets', { ip_address: '10.0.0.11', type: 'BMC', project_id: blue.id, host_id: srv.id });
  await post('/ip-assets', { ip_address: '10.0.0.2', type: 'VM', project_id: lab.id, tags: ['prod'] });
  await post('/ip-assets', { ip_address: '2001:db8::5', type: 'VIP', tags: ['edge'] });
  await post('/ip-assets', { ip_address: '10.0.0.30', type: 'OTHER' });
  const range = await post('/ranges', { name: 'servers', cidr: '10.0.0.0/24' });
  await post('/ranges', { name: 'v6 lab', cidr: '2001:db8::/64' });

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, panel.url, 'eddie');
  const visit = async (path: string, name: string, ready: string, act?: (p: Page) => Promise<void>): Promise<void> => {
    await page.goto(`${panel.url}${path}`);
    await page.waitForSelector(ready);
    await act?.(page);
    await page.waitForTimeout(400);
    await shot(page, `looks-${prefix}-${name}`);
  };
  await visit('/ui', 'dashboard', '[data-testid="recent-audit"]');
  await visit('/ui/resources/ip_assets', 'ip-list', '[data-testid="ip-table"][data-loading="false"]');
  await visit('/ui/resources/ip_assets?q=10.0.0', 'ip-list-selected', '[data-testid="ip-table"][data-loading="false"]', async (p) => {
    await p.locator('[data-testid="ip-table"] tbody tr[data-ip] input[type="checkbox"]').first().check();
  });
  const assetId = (await page.evaluate(async () => ((await (await fetch('/ip-assets/10.0.0.10')).json()) as { id: number }).id));
  await visit(`/ui/resources/ip_assets/records/${assetId}/show`, 'ip-detail', '[data-testid="header-chips"]');
  await visit('/ui/resources/ranges', 'ranges', 'table');
  await visit(`/ui/resources/ranges/records/${range.id}/addresses`, 'range-addresses', 'table tbody tr');
  await visit(`/ui/resources/ranges/records/${range.id}/show`, 'range-show', 'section, form, [data-css]');
  await visit('/ui/resources/hosts', 'hosts', 'table tbody tr');
  await visit('/ui/resources/projects', 'library-projects', 'table tbody tr');
  await visit('/ui/resources/projects/records/1/show', 'project-show', '[data-css]');
  await visit('/ui/resources/audit_log', 'audit-log', 'table tbody tr');
  await visit('/ui/pages/data-ops', 'data-ops-import', '[data-testid="plugin-select"]', async (p) => {
    await p.selectOption('[data-testid="plugin-select"]', 'csv');
    await p.setInputFiles('[data-testid="import-file"]', { name: 'ip-assets.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await p.click('[data-testid="dry-run"]');
    await p.waitForSelector('[data-testid="import-preview"]');
    await p.locator('[data-testid="run-history"] tr[data-testid^="run-"]').first().click();
    await p.waitForSelector('[data-testid="run-log"]');
  });
  await visit('/ui/pages/data-ops', 'data-ops-export', '[data-testid="tab-export"]', async (p) => {
    await p.click('[data-testid="tab-export"]');
    await p.waitForSelector('[data-testid="export-tab"]');
  });
  await visit('/ui/pages/connectors', 'connectors', '[data-testid="connectors"]');
  await context.close();
  const root = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const rootPage = await root.newPage();
  await login(rootPage, panel.url, 'root');
  await rootPage.goto(`${panel.url}/ui/resources/users`);
  await rootPage.waitForSelector('table tbody tr');
  await rootPage.waitForTimeout(400);
  await shot(rootPage, `looks-${prefix}-users`);
  await root.close();
} finally {
  await browser.close();
  await panel.stop();
}
