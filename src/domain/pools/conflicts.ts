/**
 * What can stand in the way of holding an address in a pool, and how bad each is. Pure: the
 * conflicts service gathers the facts (assets, reservations, pools, discovery sightings) and this
 * module turns them into the list the API, the panel and a forced assignment all read.
 */

export const CONFLICT_TYPES = [
  /** A live IP asset holds the address. */
  'IP_ASSET_IN_USE',
  /** A live (reserved or assigned) reservation holds it. */
  'RESERVATION_EXISTS',
  /** The address is not inside the pool it is asked of. */
  'OUTSIDE_POOL',
  /** The address is the pool's gateway. */
  'GATEWAY_ADDRESS',
  /** The network or broadcast address (IPv4) / Subnet-Router anycast (IPv6) of the pool. */
  'RESERVED_ADDRESS',
  /** The address also lies inside another pool. */
  'IN_OTHER_POOL',
  /** Two pools' networks overlap. */
  'POOL_OVERLAP',
  /** A discovery source saw the address in use recently although nothing holds it. */
  'LIVE_EVIDENCE',
] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];

export const CONFLICT_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type ConflictSeverity = (typeof CONFLICT_SEVERITIES)[number];

interface Rule {
  severity: ConflictSeverity;
  /**
   * Whether an editor may assign over it with force and a reason. A holder (asset or reservation),
   * an address outside the pool and the pool's own network/gateway can never be forced: one
   * address, one holder, enforced by the database anyway.
   */
  forceable: boolean;
}

export const CONFLICT_RULES: Readonly<Record<ConflictType, Rule>> = {
  IP_ASSET_IN_USE: { severity: 'CRITICAL', forceable: false },
  RESERVATION_EXISTS: { severity: 'CRITICAL', forceable: false },
  OUTSIDE_POOL: { severity: 'CRITICAL', forceable: false },
  GATEWAY_ADDRESS: { severity: 'HIGH', forceable: false },
  RESERVED_ADDRESS: { severity: 'HIGH', forceable: false },
  LIVE_EVIDENCE: { severity: 'HIGH', forceable: true },
  IN_OTHER_POOL: { severity: 'MEDIUM', forceable: true },
  POOL_OVERLAP: { severity: 'MEDIUM', forceable: true },
};

export interface Conflict {
  ip_address: string;
  conflict_type: ConflictType;
  severity: ConflictSeverity;
  forceable: boolean;
  message: string;
  /** Who or what holds or saw the address (kind and id), when something does. */
  holder?: Record<string, unknown>;
  pool_id?: number;
}

export function conflict(type: ConflictType, ip: string, message: string, extra: Pick<Conflict, 'holder' | 'pool_id'> = {}): Conflict {
  const rule = CONFLICT_RULES[type];
  return { ip_address: ip, conflict_type: type, severity: rule.severity, forceable: rule.forceable, message, ...extra };
}

const ORDER: Readonly<Record<ConflictSeverity, number>> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

/** Worst first, then by type, so answers are stable. */
export function sortConflicts(list: Conflict[]): Conflict[] {
  return [...list].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || CONFLICT_TYPES.indexOf(a.conflict_type) - CONFLICT_TYPES.indexOf(b.conflict_type));
}

export type AssignVerdict =
  | { ok: true; forced: Conflict[] }
  | { ok: false; blocking: Conflict[]; needsForce: boolean };

/**
 * Whether a manual assignment may go ahead over these conflicts: none, or only forceable ones
 * and the caller forced with a reason. `needsForce` tells a refused caller that force would do.
 */
export function assignVerdict(conflicts: readonly Conflict[], force: boolean): AssignVerdict {
  const hard = conflicts.filter((c) => !c.forceable);
  if (hard.length > 0) return { ok: false, blocking: sortConflicts(hard), needsForce: false };
  if (conflicts.length > 0 && !force) return { ok: false, blocking: sortConflicts([...conflicts]), needsForce: true };
  return { ok: true, forced: sortConflicts([...conflicts]) };
}

/** True when two inclusive key spans share a key. */
export function spansOverlap(a: { lo: bigint; hi: bigint }, b: { lo: bigint; hi: bigint }): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}

/** Whether a sighting at `seenAt` counts as live evidence within `days` of `now`. */
export function seenWithin(seenAt: Date | null, now: Date, days: number): boolean {
  return !!seenAt && now.getTime() - seenAt.getTime() <= days * 86_400_000 && seenAt.getTime() <= now.getTime() + 60_000;
}
