import type { Knex } from 'knex';

/**
 * The one definition of a live asset: an IP asset that is not archived. Live assets are what
 * "used" means everywhere (range utilization, the drill-down, the dashboard, /metrics, the
 * default IP list of the API and the panel); archived ones stay for history and restore.
 * The ip_key_blocks triggers (migration 060) count exactly these rows.
 */
export function whereLive(query: Knex.QueryBuilder, alias = 'a'): Knex.QueryBuilder {
  return query.where(`${alias}.archived`, false);
}

/** The complement of whereLive: the archived assets a list hides unless asked for. */
export function whereArchived(query: Knex.QueryBuilder, alias = 'a'): Knex.QueryBuilder {
  return query.where(`${alias}.archived`, true);
}

/** whereLive as raw SQL for hand-written statements: the condition and its binding. */
export function liveSql(alias: string): { sql: string; bindings: [boolean] } {
  return { sql: `${alias}.archived = ?`, bindings: [false] };
}
