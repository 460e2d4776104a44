/**
 * Child process of sync-push-crash.test.ts: pushes 10k devices and, once the apply transaction
 * has written its first chunk of them, announces it and freezes so the parent can kill -9 it.
 */
import { openDatabase } from '../../src/db/connection.js';
import { runPush } from '../../src/plugins/push.js';
import { freezeOnFirstApply } from '../helpers/kill-mid-apply.js';

const database = JSON.parse(process.env.CHILD_DATABASE!) as Parameters<typeof openDatabase>[0];
const count = Number(process.env.CHILD_COUNT ?? 10_000);
const db = openDatabase(database);
const devices = Array.from({ length: count }, (_, i) => ({
  source_id: `crash-${i}`,
  name: `crash-vm${i}`,
  kind: 'vm',
  memory_mb: 1024,
  nics: [{ mac: `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, ips: [`10.${120 + ((i >> 16) & 7)}.${(i >> 8) & 255}.${i & 255}`] }],
}));
await runPush(db, 'crash', { devices }, false, { chunkSize: 2000, onProgress: freezeOnFirstApply() });
process.stdout.write('FINISHED\n');
await db.destroy();
