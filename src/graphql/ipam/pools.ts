import { NotFoundError } from '../../domain/errors.js';
import { CONFLICT_SEVERITIES, CONFLICT_TYPES, type Conflict } from '../../domain/pools/conflicts.js';
import { ALLOCATION_ORDERS, IP_TYPES, POOL_STATUSES, POOL_TYPES, poolIpType, RESERVATION_STATUSES } from '../../domain/pools/types.js';
import { ALERT_STATES } from '../../domain/pools/utilization.js';
import type { PoolUtilization } from '../../services/pools/stats.js';
import type { Pool, Reservation } from '../../services/pools/wire.js';
import type { PoolCreate, PoolListQuery, PoolUpdate, ReservationListQuery, ReserveInput } from '../../services/schemas/pools.js';
import { builder, level, restQuery, toId } from '../builder.js';
import { UtilizationRef } from './ranges.js';

const IPPoolType = builder.enumType('IPPoolType', { values: POOL_TYPES });
const IPPoolStatus = builder.enumType('IPPoolStatus', { values: POOL_STATUSES });
const IPReservationStatus = builder.enumType('IPReservationStatus', { values: RESERVATION_STATUSES });
const IPType = builder.enumType('IPType', { values: IP_TYPES });
const AllocationOrder = builder.enumType('AllocationOrder', { values: ALLOCATION_ORDERS });
const ConflictType = builder.enumType('ConflictType', { values: CONFLICT_TYPES });
const ConflictSeverity = builder.enumType('ConflictSeverity', { values: CONFLICT_SEVERITIES });
const AlertState = builder.enumType('PoolAlertState', { values: ALERT_STATES });

/** A null for a missing row (the seed's nullable single lookups); other failures stay errors. */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

export const IPPoolRef = builder.objectRef<Pool>('IPPool').implement({
  description: 'A static IP pool: a range that hands out addresses (or IPv6 prefixes) to subscribers.',
  fields: (t) => ({
    id: t.exposeID('id'),
    poolName: t.exposeString('pool_name'),
    poolType: t.expose('pool_type', { type: IPPoolType }),
    networkCidr: t.exposeString('network_cidr'),
    ipVersion: t.exposeInt('ip_version'),
    gateway: t.exposeString('gateway', { nullable: true }),
    dnsServers: t.exposeStringList('dns_servers'),
    vlanId: t.exposeInt('vlan_id', { nullable: true }),
    status: t.expose('status', { type: IPPoolStatus }),
    autoAssignEnabled: t.exposeBoolean('auto_assign_enabled'),
    allowManualReservation: t.exposeBoolean('allow_manual_reservation'),
    utilizationAlertThreshold: t.exposeInt('utilization_alert_threshold'),
    allocationOrder: t.expose('allocation_order', { type: AllocationOrder }),
    delegationPrefixLength: t.exposeInt('delegation_prefix_length', { nullable: true }),
    groupName: t.exposeString('group_name', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    netboxPrefixId: t.exposeInt('netbox_prefix_id', { nullable: true }),
    netboxSyncedAt: t.expose('netbox_synced_at', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
    utilization: t.expose('utilization', {
      type: UtilizationRef,
      description: "The range's used and free addresses (assets and live reservations), read with the pool row: no extra statement.",
    }),
    // The seed's counters, by state (as GET /api/v1/ip-management/pools/{id}/utilization counts them).
    totalAddresses: t.field({ type: 'BigCount', description: 'Usable addresses minus the gateway (prefix pools: delegation slots).', resolve: async (p, _a, ctx) => (await ctx.loaders.poolCounts.load(p.id)).total }),
    reservedCount: t.int({ resolve: async (p, _a, ctx) => Number((await ctx.loaders.poolCounts.load(p.id)).reserved) }),
    assignedCount: t.int({ resolve: async (p, _a, ctx) => Number((await ctx.loaders.poolCounts.load(p.id)).assigned) }),
    inUseCount: t.field({ type: 'BigCount', description: 'Held by something else (IP assets, an overlapping pool).', resolve: async (p, _a, ctx) => (await ctx.loaders.poolCounts.load(p.id)).in_use }),
    availableCount: t.field({ type: 'BigCount', resolve: async (p, _a, ctx) => (await ctx.loaders.poolCounts.load(p.id)).available }),
    utilizationPercent: t.float({ resolve: async (p, _a, ctx) => (await ctx.loaders.poolCounts.load(p.id)).utilization_percent }),
  }),
});

export const IPReservationRef = builder.objectRef<Reservation>('IPReservation').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    poolId: t.exposeID('pool_id'),
    pool: t.field({ type: IPPoolRef, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.pool.load(r.pool_id) }),
    subscriberId: t.exposeString('subscriber_id'),
    ipAddress: t.exposeString('ip_address', { description: 'The address, or a delegated prefix as CIDR.' }),
    ipType: t.expose('ip_type', { type: IPType }),
    prefixLength: t.exposeInt('prefix_length', { nullable: true }),
    status: t.expose('status', { type: IPReservationStatus }),
    reservedAt: t.expose('reserved_at', { type: 'DateTime' }),
    assignedAt: t.expose('assigned_at', { type: 'DateTime', nullable: true }),
    releasedAt: t.expose('released_at', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expires_at', { type: 'DateTime', nullable: true }),
    assignedBy: t.exposeString('assigned_by', { nullable: true }),
    assignmentReason: t.exposeString('assignment_reason', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    netboxIpId: t.exposeInt('netbox_ip_id', { nullable: true }),
    netboxSynced: t.exposeBoolean('netbox_synced'),
  }),
});

const IPConflictRef = builder.objectRef<Conflict>('IPConflict').implement({
  description: 'What stands in the way of holding an address (as POST /api/v1/ip-management/check-conflicts).',
  fields: (t) => ({
    ipAddress: t.exposeString('ip_address'),
    conflictType: t.expose('conflict_type', { type: ConflictType }),
    severity: t.expose('severity', { type: ConflictSeverity }),
    forceable: t.exposeBoolean('forceable', { description: 'An editor may assign over it with force and a reason.' }),
    message: t.exposeString('message'),
    poolId: t.exposeID('pool_id', { nullable: true }),
    existingReservation: t.field({
      type: IPReservationRef,
      nullable: true,
      resolve: (c, _a, ctx) => {
        const id = c.holder?.kind === 'reservation' ? Number(c.holder.reservation_id) : null;
        return id ? ctx.loaders.reservation.load(id) : null;
      },
    }),
  }),
});

const PoolUtilizationRef = builder.objectRef<PoolUtilization>('PoolUtilization').implement({
  fields: (t) => ({
    poolId: t.exposeID('pool_id'),
    unit: t.exposeString('unit', { description: '"address", or "prefix" for prefix-delegation pools.' }),
    total: t.expose('total', { type: 'BigCount' }),
    reserved: t.expose('reserved', { type: 'BigCount' }),
    assigned: t.expose('assigned', { type: 'BigCount' }),
    inUse: t.expose('in_use', { type: 'BigCount' }),
    available: t.expose('available', { type: 'BigCount' }),
    utilizationPercent: t.exposeFloat('utilization_percent'),
    reservedPercent: t.exposeFloat('reserved_percent'),
    assignedPercent: t.exposeFloat('assigned_percent'),
    status: t.expose('status', { type: IPPoolStatus }),
    alertState: t.expose('alert_state', { type: AlertState }),
    consumedLast30Days: t.exposeInt('consumed_last_30_days'),
    projectedDepletionDate: t.expose('projected_depletion_date', { type: 'DateTime', nullable: true }),
  }),
});

const IPPoolFilters = builder.inputType('IPPoolFilters', {
  fields: (t) => ({ poolType: t.field({ type: IPPoolType }), status: t.field({ type: IPPoolStatus }), groupName: t.string(), q: t.string() }),
});

const ReservationFilters = builder.inputType('ReservationFilters', {
  fields: (t) => ({
    poolId: t.id(),
    subscriberId: t.string(),
    status: t.field({ type: IPReservationStatus }),
    live: t.boolean({ description: 'RESERVED or ASSIGNED (true), RELEASED or EXPIRED (false).' }),
    ipAddress: t.string({ description: "An address's whole history." }),
    limit: t.int({ description: '1–1000, 100 unless given.' }),
    offset: t.int(),
  }),
});

const poolFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<object>, 'InputObject'>, create: boolean) => ({
  poolName: t.string({ required: create }),
  poolType: t.field({ type: IPPoolType, required: create }),
  networkCidr: t.string({ required: create }),
  gateway: t.string(),
  dnsServers: t.stringList(),
  vlanId: t.int(),
  status: t.field({ type: IPPoolStatus }),
  autoAssignEnabled: t.boolean(),
  allowManualReservation: t.boolean(),
  utilizationAlertThreshold: t.int(),
  allocationOrder: t.field({ type: AllocationOrder }),
  delegationPrefixLength: t.int(),
  groupName: t.string(),
  description: t.string(),
});

const CreateIPPoolInput = builder.inputType('CreateIPPoolInput', { fields: (t) => poolFields(t as never, true) });
const UpdateIPPoolInput = builder.inputType('UpdateIPPoolInput', {
  description: 'Only the fields sent change; null clears a nullable one.',
  fields: (t) => poolFields(t as never, false),
});

const ReserveIPInput = builder.inputType('ReserveIPInput', {
  description: 'From a pool (poolId) or whichever pool of a group has room (groupName); ipAddress takes exactly that one, preferredAddress takes it when free.',
  fields: (t) => ({
    poolId: t.id(),
    groupName: t.string(),
    subscriberId: t.string({ required: true }),
    ipAddress: t.string(),
    preferredAddress: t.string(),
    ipType: t.field({ type: IPType }),
    prefixLength: t.int(),
    order: t.field({ type: AllocationOrder }),
    expiresAt: t.string({ description: 'YYYY-MM-DD HH:MM:SS UTC or ISO 8601.' }),
    assign: t.boolean({ description: 'Reserve and assign in one step.' }),
    assignedBy: t.string(),
    assignmentReason: t.string(),
    notes: t.string(),
  }),
});

/** Input object fields as the service's body; null stays null (it clears), an omitted field stays out. */
function body(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  return out;
}

builder.queryFields((t) => ({
  ipPools: t.field({
    type: [IPPoolRef],
    description: 'Pools in address order (as GET /api/v1/ip-management/pools), in one statement with their range utilization.',
    extensions: level('read'),
    args: { filters: t.arg({ type: IPPoolFilters }) },
    resolve: async (_r, a, ctx) => {
      const pools = await ctx.services.pools.list(restQuery(a.filters ?? {}) as PoolListQuery);
      // The same rows serve the reservations' `pool` in this request (no second read of the pools).
      for (const p of pools) ctx.loaders.pool.prime(p.id, p);
      return pools;
    },
  }),
  ipPool: t.field({
    type: IPPoolRef,
    nullable: true,
    extensions: level('read'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => orNull(ctx.services.pools.get(toId(a.id, 'id'))),
  }),
  ipReservations: t.field({
    type: [IPReservationRef],
    description: 'Reservations newest first, one page (as GET /api/v1/ip-management/reservations).',
    extensions: level('read'),
    args: { filters: t.arg({ type: ReservationFilters }) },
    resolve: (_r, a, ctx) => {
      const f = restQuery(a.filters ?? {});
      if (f.pool_id !== undefined) f.pool_id = toId(f.pool_id as string, 'filters.poolId');
      return ctx.services.reservations.page(f as ReservationListQuery);
    },
  }),
  subscriberIPs: t.field({
    type: [IPReservationRef],
    description: "A subscriber's live reservations, newest first.",
    extensions: level('read'),
    args: { subscriberId: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.subscriberIps.ips(a.subscriberId),
  }),
  checkIPConflicts: t.field({
    type: [IPConflictRef],
    description: 'Every conflict of holding the address (in poolId when given), worst first.',
    extensions: level('read'),
    args: { ipAddress: t.arg.string({ required: true }), poolId: t.arg.id() },
    resolve: (_r, a, ctx) => ctx.services.poolConflicts.check(a.ipAddress, a.poolId ? { poolId: toId(a.poolId, 'poolId') } : {}),
  }),
  poolUtilization: t.field({
    type: PoolUtilizationRef,
    description: 'Counts by state, alert state and projected depletion (as GET …/pools/{id}/utilization).',
    extensions: level('read'),
    args: { poolId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.poolStats.utilization(toId(a.poolId, 'poolId')),
  }),
}));

builder.mutationFields((t) => ({
  createIPPool: t.field({
    type: IPPoolRef,
    extensions: level('editor'),
    args: { input: t.arg({ type: CreateIPPoolInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.pools.create(body(a.input) as PoolCreate),
  }),
  updateIPPool: t.field({
    type: IPPoolRef,
    extensions: level('editor'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateIPPoolInput, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.pools.update(toId(a.id, 'id'), body(a.input) as PoolUpdate),
  }),
  deleteIPPool: t.boolean({
    extensions: level('editor'),
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => {
      await ctx.services.pools.delete(toId(a.id, 'id'));
      return true;
    },
  }),
  reserveIP: t.field({
    type: IPReservationRef,
    extensions: level('editor'),
    args: { input: t.arg({ type: ReserveIPInput, required: true }) },
    resolve: (_r, a, ctx) => {
      const input = body(a.input);
      if (input.pool_id !== undefined && input.pool_id !== null) input.pool_id = toId(input.pool_id as string, 'input.poolId');
      return ctx.services.reservations.reserve(input as ReserveInput);
    },
  }),
  assignIPAuto: t.field({
    type: IPReservationRef,
    description: "Reserves and assigns the pool's next free address (or prefix) to the subscriber; ipType defaults to what the pool hands out.",
    extensions: level('editor'),
    args: { subscriberId: t.arg.string({ required: true }), poolId: t.arg.id({ required: true }), ipType: t.arg({ type: IPType }) },
    resolve: async (_r, a, ctx) => {
      const poolId = toId(a.poolId, 'poolId');
      const ipType = a.ipType ?? poolIpType((await ctx.services.pools.get(poolId)).pool_type);
      return ctx.services.subscriberIps.assign(a.subscriberId, { pool_id: poolId, ip_type: ipType });
    },
  }),
  releaseIP: t.boolean({
    extensions: level('editor'),
    args: { reservationId: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: async (_r, a, ctx) => {
      await ctx.services.reservations.release(toId(a.reservationId, 'reservationId'), a.reason ? { reason: a.reason } : {});
      return true;
    },
  }),
}));
