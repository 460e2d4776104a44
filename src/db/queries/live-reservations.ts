import { LIVE_RESERVATION_STATUSES } from '../../domain/pools/types.js';

/**
 * The one definition of a reservation that makes its address "used" in the key space: a row
 * that HOLDS its address — live (RESERVED or ASSIGNED), or released and still in quarantine (no
 * `reclaimed_at` yet: held back from allocation until the reclaim job frees it, migration 220).
 * Single addresses are counted per address; delegated IPv6 prefixes hold whole spans and are
 * counted by start key. The ip_reservation_blocks triggers count exactly these rows, and the
 * unique index ip_reservations_one_holder allows one such row per start key.
 *
 * Written with literals, not bindings: SQLite only uses the partial indexes when the query's
 * condition visibly implies the index's (the same text as migration 220's).
 */
const LIVE_LIST = `(${LIVE_RESERVATION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Holding: live, or released and not yet reclaimed (quarantine). */
function heldSql(alias: string): string {
  return `(${alias}.status IN ${LIVE_LIST} OR (${alias}.status = 'RELEASED' AND ${alias}.reclaimed_at IS NULL))`;
}

export function liveReservationSql(alias: string): { sql: string; bindings: [] } {
  return { sql: `${heldSql(alias)} AND ${alias}.ip_type <> 'ipv6_prefix'`, bindings: [] };
}

/** A holding delegated prefix (counted by its start key in ip_reservation_blocks levels 3 and 4). */
export function livePrefixSql(alias: string): { sql: string; bindings: [] } {
  return { sql: `${heldSql(alias)} AND ${alias}.ip_type = 'ipv6_prefix'`, bindings: [] };
}

/** Any holding reservation, prefixes included: what holds an address against another reservation or an IP asset. */
export function liveHoldSql(alias: string): string {
  return heldSql(alias);
}
