import { formatTimestamp } from '../../src/domain/time.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { DevicesService } from '../../src/services/devices/index.js';
import type { PanelSession } from './harness.js';

/**
 * The reconciliation pages' data, through the REST API: an unknown address in range lab
 * (10.9.0.5) and one outside it (192.0.2.5), both archived and seen lately; a reclaimable one
 * (10.9.0.10, last seen 45 days ago); a project mismatch (10.9.0.30 of project blue on web-1 of
 * project red); sw-1, on which LibreNMS and Netdisco disagree about the serial. Answers the range's id.
 */
export async function seedReconciliation(s: PanelSession): Promise<number> {
  const daysAgo = (d: number) => formatTimestamp(new Date(Date.now() - d * 86_400_000));
  const red = (await s.rest<{ id: number }>('eddie', 'POST', '/projects', { name: 'red' })).id;
  const blue = (await s.rest<{ id: number }>('eddie', 'POST', '/projects', { name: 'blue' })).id;
  const lab = (await s.rest<{ id: number }>('eddie', 'POST', '/ranges', { name: 'lab', cidr: '10.9.0.0/24' })).id;
  const web = (await s.rest<{ id: number }>('eddie', 'POST', '/hosts', { name: 'web-1' })).id;
  await s.panel.tdb.db('hosts').where({ id: web }).update({ project_id: red });
  const seen = async (ip: string, when: string, extra: object = {}, archived = false) => {
    await s.rest('eddie', 'POST', '/ip-assets', { ip_address: ip, type: 'OS', ...extra });
    if (archived) await s.rest('eddie', 'POST', `/ip-assets/${ip}/archive`);
    await s.panel.tdb.db('ip_assets').where({ ip_address: ip }).update({ last_seen_at: when, last_sighted_at: when });
  };
  await seen('10.9.0.5', daysAgo(2), {}, true);
  await seen('192.0.2.5', daysAgo(1), {}, true);
  await seen('10.9.0.10', daysAgo(45));
  await seen('10.9.0.30', daysAgo(0), { project_id: blue, host_id: web });
  const devices = new DevicesService({ db: s.panel.tdb.db, actor: SYSTEM_ACTOR });
  await devices.recordFacts('librenms', null, [{ external_id: 'l-1', name: 'sw-1', serial: 'FOC111', memory_mb: 4096 }]);
  await devices.recordFacts('netdisco', null, [{ external_id: 'n-1', name: 'sw-1', serial: 'FOC999', memory_mb: 4096 }]);
  return lab;
}
