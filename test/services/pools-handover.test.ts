/**
 * Handing a reservation's address over to another subscriber (what NetBox conflict resolution
 * "theirs" does for a holder conflict): one transaction releases the old reservation without
 * quarantine and writes the new holder's with the same status, even in a pool that allows no
 * manual reservations; both audit entries say it was a hand-over; a reservation that is no longer
 * live cannot be handed over, and two hand-overs racing for one leave one new holder. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { ReservationsService } from '../../src/services/pools/reservations.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

describe(`handOver passes an address to another holder (${DIALECT})`, () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
  });
  after(() => cleanup());

  const r = (): ReservationsService => new ReservationsService({ db, actor: EDITOR });
  const live = async (poolId: number) => (await r().list({ pool_id: poolId, live: true })).items.map((x) => `${x.ip_address} ${x.status} ${x.subscriber_id}`).sort();

  it('the new holder gets the address with its status at once; the old one is released without quarantine; both audited as a hand-over', async () => {
    const s = servicesFor(db);
    // 30 days of quarantine, and no manual reservations: neither applies to a hand-over.
    const pool = await s.pools.create({ pool_name: 'h-pool', pool_type: 'IPV4_PRIVATE', network_cidr: '10.70.0.0/29', quarantine_days: 30, allow_manual_reservation: false });
    const bob = await r().reserve({ pool_id: pool.id, subscriber_id: 'bob', assign: true });
    const carol = await r().reserve({ pool_id: pool.id, subscriber_id: 'carol' });

    const { released, reservation } = await r().handOver(bob.id, { subscriber_id: 'mallory', reason: 'held by mallory in NetBox #7', netbox_ip_id: 7 });
    assert.equal(released.status, 'RELEASED');
    assert.deepEqual([reservation.ip_address, reservation.status, reservation.subscriber_id, reservation.netbox_ip_id], [bob.ip_address, 'ASSIGNED', 'mallory', 7]);
    const second = await r().handOver(carol.id, { subscriber_id: 'dave' });
    assert.equal(second.reservation.status, 'RESERVED');
    assert.deepEqual(await live(pool.id), [`${bob.ip_address} ASSIGNED mallory`, `${carol.ip_address} RESERVED dave`]);

    // Not quarantined: the pool counts both addresses as held by their new holders only.
    const c = await s.pools.stateCounts(pool.id);
    assert.equal(Number(c.quarantined), 0);
    const history = await s.reservations.list({ ip_address: bob.ip_address });
    assert.deepEqual(history.items.map((h) => [h.subscriber_id, h.status]), [['mallory', 'ASSIGNED'], ['bob', 'RELEASED']]);

    const old = (await s.audit.list({ target_type: 'IP_RESERVATION', target_id: bob.id })).items.map((e) => e.changes ?? '');
    assert.ok(old.some((e) => e === `status: ASSIGNED → RELEASED; handed over to subscriber mallory (reservation ${reservation.id}); reason: held by mallory in NetBox #7`), JSON.stringify(old));
    const created = (await s.audit.list({ target_type: 'IP_RESERVATION', target_id: reservation.id })).items;
    assert.deepEqual(created.map((e) => e.action), ['CREATE']);
    assert.match(created[0]!.changes ?? '', new RegExp(`^ASSIGNED ${bob.ip_address.replace(/\./g, '\\.')} for subscriber mallory .*; handed over from subscriber bob \\(reservation ${bob.id}\\)$`));
  });

  it('a released reservation, an unknown one, the same holder and bad input are refused and change nothing', async () => {
    const s = servicesFor(db);
    const pool = await s.pools.create({ pool_name: 'h-refused', pool_type: 'IPV4_PRIVATE', network_cidr: '10.71.0.0/29' });
    const a = await r().reserve({ pool_id: pool.id, subscriber_id: 'alice' });
    const b = await r().reserve({ pool_id: pool.id, subscriber_id: 'bert' });
    await r().release(b.id);
    const before = await db('ip_reservations').where({ pool_id: pool.id }).orderBy('id');
    const audits = (await s.audit.list({ target_type: 'IP_RESERVATION', limit: 1000 })).total;

    await assert.rejects(r().handOver(b.id, { subscriber_id: 'x' }), (e: unknown) => e instanceof ConflictError && /is RELEASED; only a live reservation can be handed over/.test(e.message));
    await assert.rejects(r().handOver(999_999, { subscriber_id: 'x' }), /Reservation 999999 not found|not found/i);
    await assert.rejects(r().handOver(a.id, { subscriber_id: 'alice' }), (e: unknown) => e instanceof ValidationError && /held by alice already/.test(JSON.stringify(e)));
    await assert.rejects(r().handOver(a.id, { subscriber_id: '  ' }), (e: unknown) => e instanceof ValidationError && /subscriber_id/.test(JSON.stringify(e)));
    // The old flag is gone: a plain release cannot skip the quarantine.
    await assert.rejects(r().release(a.id, { skip_quarantine: true } as never), (e: unknown) => e instanceof ValidationError && /skip_quarantine/.test(JSON.stringify(e)));

    assert.deepEqual(await db('ip_reservations').where({ pool_id: pool.id }).orderBy('id'), before);
    assert.equal((await s.audit.list({ target_type: 'IP_RESERVATION', limit: 1000 })).total, audits);
  });

  it('two hand-overs of one reservation at once: one wins, the other is refused, one new holder', async () => {
    const s = servicesFor(db);
    const pool = await s.pools.create({ pool_name: 'h-race', pool_type: 'IPV4_PRIVATE', network_cidr: '10.72.0.0/29' });
    const a = await r().reserve({ pool_id: pool.id, subscriber_id: 'ann', assign: true });
    const results = await Promise.allSettled([r().handOver(a.id, { subscriber_id: 'one' }), r().handOver(a.id, { subscriber_id: 'two' })]);
    const won = results.filter((x) => x.status === 'fulfilled');
    const lost = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    assert.equal(won.length, 1, JSON.stringify(results));
    assert.ok(lost[0]!.reason instanceof ConflictError, String(lost[0]!.reason));
    const holder = (won[0] as PromiseFulfilledResult<{ reservation: { subscriber_id: string } }>).value.reservation.subscriber_id;
    assert.deepEqual(await live(pool.id), [`${a.ip_address} ASSIGNED ${holder}`]);
  });
});
