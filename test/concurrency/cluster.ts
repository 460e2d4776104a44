/**
 * One or more real app instances on one database, each with its own connection (pool), listening
 * on 127.0.0.1: SQLite in a file of a temp folder (WAL, as in production), or a fresh PostgreSQL
 * database on TEST_DATABASE_URL. The first instance runs in this process, every further one in a
 * child process of its own: better-sqlite3 is synchronous, so two instances in one process never
 * hold the file's locks at the same time and would hide exactly the contention two servers meet.
 * Requests go round-robin over the instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { buildApp, listen } from '../../src/server.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { createTestDb, DIALECT } from '../helpers/db.js';

export interface Reply {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface Cluster {
  /** Base URLs of the instances, e.g. http://127.0.0.1:40123. */
  urls: string[];
  /** A connection of the test's own, for checking what was stored. */
  db: Knex;
  database: AppConfig['database'];
  /** The data folder (the SQLite file lives there). */
  dataDir: string;
  /** An editor's request, sent to the next instance in turn. */
  call(method: string, path: string, body?: unknown): Promise<Reply>;
  cleanup(): Promise<void>;
}

export const EDITOR = { username: 'editor1', password: 'correct-horse-battery' };
const PASSWORD = EDITOR.password;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'instance-child.ts');

export async function startCluster(instances: number): Promise<Cluster> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-concurrency-'));
  let database: AppConfig['database'];
  let dropDatabase = async (): Promise<void> => {};
  if (DIALECT === 'sqlite') {
    database = { client: 'sqlite', filename: path.join(dataDir, 'ipocket.sqlite') };
  } else {
    const t = await createTestDb();
    await t.db.destroy();
    database = t.database;
    dropDatabase = t.cleanup;
  }
  const db = openDatabase(database);
  await migrateLatest(db);
  await new UsersService({ db, actor: SYSTEM_ACTOR }).create({ username: 'editor1', password: PASSWORD, role: 'editor' });

  // Children start while this process builds its own instance (each needs a few seconds).
  const children: ChildProcess[] = [];
  const childPorts: Promise<number>[] = [];
  for (let i = 1; i < instances; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, CHILD_DATABASE: JSON.stringify(database), CHILD_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    childPorts.push(listeningPort(child));
  }
  const own = openDatabase(database);
  const config = loadConfig({ IPOCKET_DATA_DIR: dataDir, IPOCKET_SCHEDULER: '0' });
  config.database = database;
  const app = await buildApp({ config, db: own });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const urls = [server.address() as AddressInfo, ...(await Promise.all(childPorts)).map((port) => ({ port }))].map((a) => `http://127.0.0.1:${a.port}`);

  const login = await fetch(`${urls[0]}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'editor1', password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const auth = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;

  let next = 0;
  return {
    urls,
    db,
    database,
    dataDir,
    async call(method, route, body) {
      const url = urls[next++ % urls.length]!;
      let res: Response;
      try {
        res = await fetch(url + route, {
          method,
          headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        // No answer at all (the connection broke): status 0, counted against the run like a 5xx.
        return { status: 0, body: String((err as Error).cause ?? err), headers: new Headers() };
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text (shown when an assertion fails)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async cleanup() {
      for (const child of children.filter((ch) => ch.exitCode === null && ch.signalCode === null)) {
        const exited = once(child, 'exit');
        child.stdin!.end();
        await exited;
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await own.destroy();
      await db.destroy();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the port the child prints once it listens; rejects when it exits first. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('instance child did not start within 60 s')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance child exited with ${code}`));
    });
  });
}

/** Logs the editor in to the panel of the instance at origin; the Cookie header of its session. */
export async function panelCookie(origin: string): Promise<string> {
  const login = await fetch(`${origin}/ui/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
    body: new URLSearchParams(EDITOR).toString(),
  });
  if (login.status !== 302) throw new Error(`panel login: ${login.status}`);
  return login.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
}

/** Status → how many replies had it, e.g. { 200: 1, 409: 49 }. */
export function tally(replies: readonly Reply[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of replies) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

/** The replies that answered 5xx (or not at all), for the assertion message. */
export function serverErrors(replies: readonly Reply[]): string {
  return JSON.stringify(replies.filter((r) => r.status >= 500 || r.status === 0).slice(0, 5).map((r) => ({ status: r.status, body: r.body })));
}
