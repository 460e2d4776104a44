import type { Knex } from 'knex';
import { createAssetCounters, createAssetSearchIndex } from '../src/db/helpers/list-support.js';

export async function up(knex: Knex): Promise<void> {
  await createAssetCounters(knex);
  await createAssetSearchIndex(knex);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
