import path from 'node:path';
import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../services/context.js';
import { MIGRATED_TABLES, migrateFromOriginal } from '../services/original-ipocket/migrate.js';
import { readOriginalDb } from '../services/original-ipocket/read.js';
import { progressBar } from './output.js';

export const MIGRATE_USAGE = `  migrate-from-ipocket <original.sqlite> [--dry-run] [--force]
                                     copy the original ipocket's database (users with their passwords,
                                     projects, vendors, tags, hosts, IP assets, ranges, audit log) in one
                                     transaction; --force merges into a database that holds inventory`;

/** Rows above which the CLI shows a progress bar (a small file finishes before one would draw). */
const PROGRESS_FROM = 2000;

/** `ipocket migrate-from-ipocket`: reads the original's SQLite file, writes (or dry-runs) it, prints a summary table. */
export async function migrateFromIpocketCommand(db: Knex, args: { file?: string; dryRun: boolean; force: boolean }): Promise<number> {
  if (!args.file) {
    console.error(`Usage:\n${MIGRATE_USAGE}`);
    return 2;
  }
  const data = readOriginalDb(args.file);
  const rows = data.users.length + data.projects.length + data.vendors.length + data.tags.length + data.hosts.length + data.assets.length + data.ranges.length + data.audit.length;
  console.error(`Read ${args.file} (revision ${data.revision ?? 'unknown'}): ${rows} row(s).`);
  const bar = rows >= PROGRESS_FROM ? progressBar({ linePerLabel: true, labelWidth: 13 }) : null;
  const summary = await migrateFromOriginal(db, SYSTEM_ACTOR, data, {
    dryRun: args.dryRun,
    force: args.force,
    source: path.basename(args.file),
    onProgress: bar ? (table, done, total) => bar.update(table, done, total) : undefined,
  }).finally(() => bar?.stop());
  console.table(Object.fromEntries(MIGRATED_TABLES.map((t) => [t, { source: summary.tables[t].source, [args.dryRun ? 'would create' : 'created']: summary.tables[t].created, kept: summary.tables[t].kept }])));
  console.log(`API tokens not carried over: ${summary.tokensLeftBehind} (log in again; tokens here expire).`);
  console.log(args.dryRun ? 'Dry-run: nothing was written.' : 'Migrated in one transaction.');
  return 0;
}
