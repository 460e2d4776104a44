import { LIVE_RESERVATION_STATUSES } from '../../domain/pools/types.js';

/**
 * The one definition of a reservation that makes its address "used" in the key space: a live
 * (RESERVED or ASSIGNED) reservation of a single address. Delegated IPv6 prefixes hold whole
 * spans and are checked by span (pools/holders), not counted per address. The
 * ip_reservation_blocks triggers (migration 180) count exactly these rows.
 *
 * Written with literals, not bindings: SQLite only uses the partial index
 * ip_reservations_one_live when the query's condition visibly implies the index's.
 */
const LIVE_LIST = `(${LIVE_RESERVATION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export function liveReservationSql(alias: string): { sql: string; bindings: [] } {
  return { sql: `${alias}.status IN ${LIVE_LIST} AND ${alias}.ip_type <> 'ipv6_prefix'`, bindings: [] };
}

/** A live delegated prefix (counted by its start key in ip_reservation_blocks levels 3 and 4). */
export function livePrefixSql(alias: string): { sql: string; bindings: [] } {
  return { sql: `${alias}.status IN ${LIVE_LIST} AND ${alias}.ip_type = 'ipv6_prefix'`, bindings: [] };
}

/** Any live reservation, prefixes included: what holds an address against another reservation. */
export function liveHoldSql(alias: string): string {
  return `${alias}.status IN ${LIVE_LIST}`;
}
