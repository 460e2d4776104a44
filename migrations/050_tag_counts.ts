import type { Knex } from 'knex';
import { createTagCounters } from '../src/db/helpers/list-support.js';

export async function up(knex: Knex): Promise<void> {
  await createTagCounters(knex);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
