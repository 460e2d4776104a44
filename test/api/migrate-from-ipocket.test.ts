/**
 * `ipocket migrate-from-ipocket` on a database written by the original ipocket itself
 * (test/fixtures/ipocket-original.db): every user logs in over HTTP with the same password
 * (the legacy SHA-256 account included, upgraded to bcrypt), and every table's records match
 * the source read directly.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import request from 'supertest';
import { migrateFromIpocketCommand } from '../../src/cli/migrate-from-ipocket.js';
import { parseAddress } from '../../src/domain/ip/address.js';
import { captureConsole } from '../helpers/console.js';
import { buildTestApp, type TestApp } from './app.js';

const FIXTURE = new URL('../fixtures/ipocket-original.db', import.meta.url).pathname;
const PASSWORDS: Record<string, string> = { admin: 'admin-pass-123', editor: 'editor-pass-123', viewer: 'viewer-pass-123', legacy: 'legacy-pass-123' };
const ROLE: Record<string, string> = { Admin: 'superuser', Editor: 'editor', Viewer: 'viewer' };

type Row = Record<string, unknown>;

/** Runs the command with its console output captured. */
const cli = (t: TestApp, args: { file: string; dryRun?: boolean; force?: boolean }) => captureConsole(() => migrateFromIpocketCommand(t.db, { dryRun: false, force: false, ...args }));

const login = (t: TestApp, username: string, password: string) => request(t.app).post('/login').send({ username, password });

describe('ipocket migrate-from-ipocket', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let src: Database.Database;
  const all = (sql: string): Row[] => src.prepare(sql).all() as Row[];
  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of ['users', 'projects', 'vendors', 'tags', 'hosts', 'ip_assets', 'ip_asset_tags', 'ranges', 'audit_log']) out[table] = Number(((await t.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);
    return out;
  };

  before(async () => {
    t = await buildTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-migrate-'));
    // The command reads `file`; the test reads its own copy (opening a WAL database leaves -shm/-wal beside it).
    mkdirSync(path.join(dir, 'original'));
    file = path.join(dir, 'original', 'ipocket.db');
    copyFileSync(FIXTURE, file);
    copyFileSync(FIXTURE, path.join(dir, 'source.db'));
    src = new Database(path.join(dir, 'source.db'), { readonly: true });
  });
  after(async () => {
    src.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run prints the summary and writes nothing', async () => {
    const before = await counts();
    const res = await cli(t, { file, dryRun: true });
    assert.equal(res.code, 0, res.out);
    assert.match(res.out, /Dry-run: nothing was written/);
    assert.match(res.out, /"ip_assets":\{"source":9,"would create":9,"kept":0\}/);
    assert.deepEqual(await counts(), before);
  });

  test('before the migration the original\'s users cannot log in', async () => {
    assert.equal((await login(t, 'legacy', PASSWORDS.legacy!)).status, 401);
  });

  test('the migration copies every table in one run and prints a summary', async () => {
    const before = await counts();
    const res = await cli(t, { file });
    assert.equal(res.code, 0, res.out);
    assert.match(res.out, /Migrated in one transaction/);
    assert.match(res.out, /API tokens not carried over: 4/);
    assert.deepEqual(readdirSync(path.dirname(file)), ['ipocket.db'], 'nothing written beside the original\'s file');
    const after = await counts();
    const n = (sql: string): number => Number((src.prepare(sql).get() as { n: number }).n);
    assert.deepEqual(
      Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!])),
      {
        users: n('SELECT COUNT(*) AS n FROM users'),
        projects: n('SELECT COUNT(*) AS n FROM projects'),
        vendors: n('SELECT COUNT(*) AS n FROM vendors'),
        tags: n('SELECT COUNT(*) AS n FROM tags'),
        hosts: n('SELECT COUNT(*) AS n FROM hosts'),
        ip_assets: n('SELECT COUNT(*) AS n FROM ip_assets'),
        ip_asset_tags: n('SELECT COUNT(*) AS n FROM ip_asset_tags'),
        ranges: n('SELECT COUNT(*) AS n FROM ip_ranges'),
        // The source's entries plus one APPLY entry for the migration itself.
        audit_log: n('SELECT COUNT(*) AS n FROM audit_logs') + 1,
      },
    );
  });

  test('every user logs in over the HTTP API with the same password; the legacy SHA-256 hash becomes bcrypt', async () => {
    const legacyBefore = (await t.db('users').where({ username: 'legacy' }).first('password_hash')) as { password_hash: string };
    assert.match(legacyBefore.password_hash, /^[0-9a-f]{64}$/);
    for (const [username, password] of Object.entries(PASSWORDS)) {
      const res = await login(t, username, password);
      assert.equal(res.status, 200, `${username}: ${res.text}`);
      assert.equal(res.body.token_type, 'bearer');
      assert.equal((await login(t, username, `${password}x`)).status, 401, `${username}: a wrong password is refused`);
    }
    const legacyAfter = (await t.db('users').where({ username: 'legacy' }).first('password_hash')) as { password_hash: string };
    assert.match(legacyAfter.password_hash, /^\$2[aby]\$\d\d\$/, 'upgraded to bcrypt at the first successful login');
    // And it still works with the new hash; roles came along (viewer reads, cannot write).
    const again = await login(t, 'legacy', PASSWORDS.legacy!);
    assert.equal(again.status, 200);
    const auth = { Authorization: `Bearer ${again.body.access_token}` };
    assert.equal((await request(t.app).post('/ip-assets').set(auth).send({ ip_address: '10.99.0.1', type: 'VM' })).status, 403);
    const editor = await login(t, 'editor', PASSWORDS.editor!);
    assert.equal((await request(t.app).get('/export/ip-assets.csv').set({ Authorization: `Bearer ${editor.body.access_token}` })).status, 200);
  });

  test('records match the source table by table', async () => {
    // Users: name, role, active; bcrypt hashes carried as they are.
    const users = (await t.db('users').select('username', 'role', 'is_active', 'password_hash').whereIn('username', Object.keys(PASSWORDS)).orderBy('username')) as Row[];
    const srcUsers = all('SELECT username, role, is_active, hashed_password FROM users ORDER BY username');
    assert.deepEqual(
      users.map((u) => [u.username, u.role, Boolean(u.is_active)]),
      srcUsers.map((u) => [u.username, ROLE[String(u.role)], Boolean(u.is_active)]),
    );
    for (const u of srcUsers.filter((r) => String(r.hashed_password).startsWith('$2'))) {
      assert.equal(users.find((x) => x.username === u.username)!.password_hash, u.hashed_password, `${String(u.username)}: bcrypt hash as it was`);
    }
    const same = async (ours: Promise<Row[]>, theirs: Row[], what: string): Promise<void> => {
      assert.deepEqual((await ours).map((r) => ({ ...r })), theirs, what);
    };
    await same(t.db('projects').select('name', 'description', 'color').orderBy('name'), all('SELECT name, description, color FROM projects ORDER BY name'), 'projects');
    await same(t.db('vendors').select('name', 'created_at', 'updated_at').orderBy('name'), all('SELECT name, created_at, updated_at FROM vendors ORDER BY name'), 'vendors');
    await same(t.db('tags').select('name', 'color', 'created_at', 'updated_at').orderBy('name'), all('SELECT name, color, created_at, updated_at FROM tags ORDER BY name'), 'tags');
    await same(
      t.db('hosts as h').leftJoin('vendors as v', 'v.id', 'h.vendor_id').select('h.name', 'h.notes', 'v.name as vendor', 'h.created_at', 'h.updated_at').orderBy('h.name'),
      all('SELECT h.name, h.notes, v.name AS vendor, h.created_at, h.updated_at FROM hosts h LEFT JOIN vendors v ON v.id = h.vendor_id ORDER BY h.name'),
      'hosts',
    );
    await same(
      t.db('ranges').select('name', 'cidr', 'notes', 'created_at', 'updated_at').orderBy('name'),
      all('SELECT name, cidr, notes, created_at, updated_at FROM ip_ranges ORDER BY name'),
      'ranges',
    );
    const srcAssets = all(`SELECT a.id, a.ip_address, a.type, p.name AS project, h.name AS host, a.notes, a.archived, a.created_at, a.updated_at
      FROM ip_assets a LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN hosts h ON h.id = a.host_id`);
    const srcTags = all('SELECT l.ip_asset_id, t.name FROM ip_asset_tags l JOIN tags t ON t.id = l.tag_id');
    const ours = (await t.db('ip_assets as a')
      .leftJoin('projects as p', 'p.id', 'a.project_id')
      .leftJoin('hosts as h', 'h.id', 'a.host_id')
      .select('a.id', 'a.ip_address', 'a.type', 'p.name as project', 'h.name as host', 'a.notes', 'a.archived', 'a.created_at', 'a.updated_at')) as Row[];
    const ourTags = (await t.db('ip_asset_tags as l').join('tags as t', 't.id', 'l.tag_id').select('l.ip_asset_id', 't.name')) as Row[];
    const view = (rows: Row[], tags: Row[], address: (r: Row) => string): Record<string, unknown>[] =>
      rows
        .map((r) => ({
          ip: address(r),
          type: r.type,
          project: r.project ?? null,
          host: r.host ?? null,
          notes: r.notes ?? null,
          archived: Boolean(r.archived),
          created_at: r.created_at,
          updated_at: r.updated_at,
          tags: tags.filter((l) => Number(l.ip_asset_id) === Number(r.id)).map((l) => String(l.name)).sort(),
        }))
        .sort((a, b) => (a.ip < b.ip ? -1 : 1));
    assert.deepEqual(view(ours, ourTags, (r) => String(r.ip_address)), view(srcAssets, srcTags, (r) => parseAddress(String(r.ip_address)).address), 'ip assets with their tags');
    assert.ok(srcAssets.some((a) => String(a.ip_address).includes(':')), 'the fixture has IPv6 assets');
    assert.ok(srcAssets.some((a) => Number(a.archived) === 1), 'the fixture has an archived asset');
    // The audit log, entry by entry (plus our one APPLY entry for the run).
    const audit = (await t.db('audit_log').select('username', 'target_type', 'target_label', 'action', 'changes', 'created_at').orderBy('id')) as Row[];
    const srcAudit = all('SELECT username, target_type, target_label, action, changes, created_at FROM audit_logs ORDER BY id');
    const key = (r: Row): string => JSON.stringify([r.username, r.target_type, r.target_label, r.action, r.changes, r.created_at]);
    const ourKeys = new Set(audit.map(key));
    for (const e of srcAudit) assert.ok(ourKeys.has(key(e)), `audit entry missing: ${key(e)}`);
    const run = (await t.db('audit_log').where({ target_label: 'migrate_from_ipocket' })) as Row[];
    assert.equal(run.length, 1);
    assert.equal(run[0]!.action, 'APPLY');
    assert.equal(run[0]!.target_type, 'IMPORT_RUN');
    assert.match(String(run[0]!.changes), /input=ipocket\.db; users=4; projects=3;/);
  });

  test('the API shows the migrated inventory (assets with tags, host links)', async () => {
    const assets = (await request(t.app).get('/ip-assets')).body as { ip_address: string; tags: string[]; host_id: number | null }[];
    const srcActive = all('SELECT ip_address FROM ip_assets WHERE archived = 0');
    assert.equal(assets.length, srcActive.length);
    const web = assets.find((a) => a.ip_address === '10.20.0.11')!;
    const srcWebTags = all("SELECT t.name FROM ip_asset_tags l JOIN tags t ON t.id = l.tag_id JOIN ip_assets a ON a.id = l.ip_asset_id WHERE a.ip_address = '10.20.0.11' ORDER BY t.name").map((r) => r.name);
    assert.deepEqual(web.tags, srcWebTags);
    const host = (await request(t.app).get(`/hosts/${web.host_id}`)).body as { name: string; linked_assets: { os: { ip_address: string }[] } };
    assert.equal(host.name, 'web-01');
    assert.ok(host.linked_assets.os.some((a) => a.ip_address === '10.20.0.11'));
  });

  test('a second run is refused (the inventory is not empty); --force merges and keeps what exists', async () => {
    const before = await counts();
    await assert.rejects(cli(t, { file }), /already holds inventory .* --force/);
    assert.deepEqual(await counts(), before);
    const res = await cli(t, { file, force: true });
    assert.equal(res.code, 0, res.out);
    assert.match(res.out, /"ip_assets":\{"source":9,"created":0,"kept":9\}/);
    const after = await counts();
    assert.deepEqual(after, { ...before, audit_log: before.audit_log! + 1 }, 'nothing is copied twice: only the run\'s own entry is added');
  });

  test('a file that is not the original\'s database is refused with a message', async () => {
    const other = path.join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE things (id INTEGER)');
    db.close();
    await assert.rejects(cli(t, { file: other }), /not a database of the original ipocket[\s\S]*table users is missing/);
    await assert.rejects(cli(t, { file: path.join(dir, 'missing.db') }), /no such file/);
  });
});

describe('ipocket migrate-from-ipocket on a bigger database', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  const ASSETS = 6000;
  before(async () => {
    t = await buildTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-migrate-big-'));
    file = path.join(dir, 'big.db');
    copyFileSync(FIXTURE, file);
    // More rows than one write chunk in every big table, written with the original's schema.
    const db = new Database(file);
    const addHost = db.prepare("INSERT INTO hosts (name, notes, vendor_id, created_at, updated_at) VALUES (?, NULL, 1, '2025-01-02 03:04:05', '2025-01-02 03:04:05')");
    const addAsset = db.prepare("INSERT INTO ip_assets (ip_address, type, project_id, host_id, notes, archived, created_at, updated_at) VALUES (?, 'VM', ?, ?, ?, 0, '2025-01-02 03:04:05', '2025-01-03 03:04:05')");
    const addTag = db.prepare('INSERT INTO ip_asset_tags (ip_asset_id, tag_id) VALUES (?, ?)');
    db.transaction(() => {
      for (let h = 0; h < 1200; h++) addHost.run(`bulk-host-${h}`);
      const firstHost = Number((db.prepare("SELECT MIN(id) AS id FROM hosts WHERE name LIKE 'bulk-host-%'").get() as { id: number }).id);
      for (let i = 0; i < ASSETS; i++) {
        const id = Number(addAsset.run(`10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`, (i % 3) + 1, firstHost + (i % 1200), `bulk ${i}`).lastInsertRowid);
        addTag.run(id, (i % 6) + 1);
      }
    })();
    db.close();
  });
  after(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('thousands of rows go over in one run, with every reference and tag remapped', async () => {
    const started = Date.now();
    const res = await captureConsole(() => migrateFromIpocketCommand(t.db, { file, dryRun: false, force: false }));
    const ms = Date.now() - started;
    assert.equal(res.code, 0, res.out);
    console.log(`# migrated ${ASSETS + 9} assets, 1203 hosts in ${ms} ms`);
    const src = new Database(file, { readonly: true });
    try {
      const theirs = src.prepare(`SELECT a.ip_address AS ip, h.name AS host, p.name AS project, t.name AS tag FROM ip_assets a
        LEFT JOIN hosts h ON h.id = a.host_id LEFT JOIN projects p ON p.id = a.project_id
        LEFT JOIN ip_asset_tags l ON l.ip_asset_id = a.id LEFT JOIN tags t ON t.id = l.tag_id ORDER BY a.ip_address, t.name`).all();
      const mine = await t.db('ip_assets as a')
        .leftJoin('hosts as h', 'h.id', 'a.host_id')
        .leftJoin('projects as p', 'p.id', 'a.project_id')
        .leftJoin('ip_asset_tags as l', 'l.ip_asset_id', 'a.id')
        .leftJoin('tags as t', 't.id', 'l.tag_id')
        .select('a.ip_address as ip', 'h.name as host', 'p.name as project', 't.name as tag');
      const key = (r: unknown): string => JSON.stringify(r);
      assert.deepEqual((mine as unknown[]).map(key).sort(), (theirs as unknown[]).map((r) => ({ ...(r as Row), ip: parseAddress(String((r as Row).ip)).address })).map(key).sort());
    } finally {
      src.close();
    }
  });
});
