/**
 * Child process for the crash test: applies a large bundle and, once the apply transaction has
 * written its first chunk, announces it and freezes so the parent can kill -9 it mid-transaction.
 */
import { openDatabase } from '../../../src/db/connection.js';
import { getPlugin } from '../../../src/plugins/registry.js';
import { runPlugin } from '../../../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../../../src/services/context.js';
import { freezeOnFirstApply } from '../../helpers/kill-mid-apply.js';

const database = JSON.parse(process.env.CHILD_DATABASE!) as Parameters<typeof openDatabase>[0];
const count = Number(process.env.CHILD_COUNT ?? 30_000);
const db = openDatabase(database);
const assets = Array.from({ length: count }, (_, i) => ({ ip_address: `10.${100 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`, type: 'VM', notes: `crash ${i}`, tags: ['crash'] }));
const bundle = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { projects: [{ name: 'crash-project' }], ip_assets: assets } }));
await runPlugin(db, SYSTEM_ACTOR, {
  plugin: getPlugin('bundle'),
  input: { files: [{ name: 'crash.json', data: bundle }] },
  dryRun: false,
  limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 },
  onProgress: freezeOnFirstApply(),
});
process.stdout.write('FINISHED\n');
await db.destroy();
