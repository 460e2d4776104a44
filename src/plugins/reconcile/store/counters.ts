import type { Knex } from 'knex';
import { selectRaw, upsertAddCount } from '../../../db/helpers/bulk-write.js';
import { lockInIdOrder } from '../../../db/helpers/dialect.js';
import { toBool } from '../../../services/context.js';

/** The columns of an asset row the counters depend on. */
export interface CountedAsset {
  archived: boolean;
  project_id: number | null;
  type: string;
  ip_key: string;
}

/** Digits of ip_key per ip_key_blocks level (migration 060): 256 and 65,536 addresses. */
const BLOCK_LEVELS = [
  [1, 30],
  [2, 28],
] as const;

/**
 * What a bulk writer's statements change in the trigger-kept counters (ip_asset_counts,
 * ip_key_blocks, ip_asset_tag_counts), summed per counter row in memory and written once at
 * the end (`apply`). Per-row triggers upserted the same few hundred rows once per asset and, on
 * PostgreSQL, held their row locks from the first chunk to the commit; the sums touch each row
 * once, in a fixed order, just before the commit.
 */
export class CounterDeltas {
  private readonly assets = new Map<string, number>();
  private readonly blocks = new Map<string, number>();
  private readonly tags = new Map<number, number>();

  asset(a: CountedAsset, d: 1 | -1): void {
    bump(this.assets, `${a.archived ? 1 : 0}|${a.project_id ?? 0}|${a.type}`, d);
    if (a.archived) return;
    for (const [level, digits] of BLOCK_LEVELS) bump(this.blocks, `${level}|${a.ip_key.slice(0, digits)}`, d);
  }

  tag(tagId: number, d: 1 | -1): void {
    bump(this.tags, tagId, d);
  }

  /** Writes the sums: one upsert statement per table (chunked), rows in key order so two writers cannot deadlock. */
  async apply(trx: Knex.Transaction): Promise<void> {
    const sorted = <K>(m: Map<K, number>): [K, number][] => [...m].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await upsertAddCount(trx, 'ip_asset_counts', ['archived', 'project_id', 'type'], sorted(this.assets).map(([k, n]) => {
      const [archived, project, ...type] = k.split('|');
      return [archived === '1', Number(project), type.join('|'), n];
    }));
    await upsertAddCount(trx, 'ip_key_blocks', ['level', 'block'], sorted(this.blocks).map(([k, n]) => [Number(k.slice(0, 1)), k.slice(2), n]));
    await upsertAddCount(trx, 'ip_asset_tag_counts', ['tag_id'], sorted(this.tags).map(([id, n]) => [id, n]));
    this.assets.clear();
    this.blocks.clear();
    this.tags.clear();
  }
}

function bump<K>(m: Map<K, number>, key: K, d: number): void {
  m.set(key, (m.get(key) ?? 0) + d);
}

/**
 * The counted columns of these assets as stored now. On PostgreSQL the rows are locked (FOR
 * UPDATE, in id order) so what is subtracted is exactly what the following UPDATE replaces, even
 * when another transaction changed a row after the import read it. SQLite has one writer.
 */
export async function lockCounted(trx: Knex.Transaction, ids: readonly number[]): Promise<(CountedAsset & { id: number })[]> {
  if (ids.length === 0) return [];
  const sql = `SELECT id, archived, project_id, type, ip_key FROM ip_assets WHERE id IN (${ids.map(() => '?').join(', ')})${lockInIdOrder(trx)}`;
  const rows = await selectRaw<Record<string, unknown>>(trx, sql, ids);
  return rows.map((r) => ({ id: Number(r.id), archived: toBool(r.archived), project_id: r.project_id === null ? null : Number(r.project_id), type: String(r.type), ip_key: String(r.ip_key) }));
}
