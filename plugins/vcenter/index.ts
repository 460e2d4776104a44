import { z } from 'zod';
import { formatTimestamp } from '../../src/domain/time.js';
import { emptyBatch } from '../../src/plugins/batch.js';
import { HttpClient } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { VcenterSession } from './client.js';
import { mapInventory } from './map-inventory.js';
import { listHosts, listVms, readGuest, type VmGuest, type VmSummary } from './read-inventory.js';

export const VcenterOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('vCenter base URL, e.g. https://vcenter.example.com'),
  username: z.string().min(1).describe('vCenter user (e.g. readonly@vsphere.local)'),
  password: secret(z.string().min(1).describe('Password')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each vCenter answer'),
  project: z.string().trim().min(1).max(128).optional().describe('Project for new IPs (existing ones keep theirs unless unassigned)'),
  tags: optionList.default(['vcenter']).describe('Tags merged into every IP found (ESXi hosts also get esxi)'),
  concurrency: z.coerce.number().int().min(1).max(64).default(8).describe('Guest queries in flight'),
  include_loopback: optionFlag.default(false).describe('Also import 127.0.0.0/8 and ::1'),
  include_link_local: optionFlag.default(false).describe('Also import 169.254.0.0/16 and fe80::/10'),
  mark_last_seen: optionFlag.default(false).describe('Record the run time as last seen'),
});

/** VMware vCenter (vSphere Automation REST, 7.0+): ESXi hosts and VM guest addresses. */
export const vcenterPlugin = definePlugin({
  name: 'vcenter',
  title: 'VMware vCenter',
  description: 'ESXi hosts become Hosts with an OS IP tagged esxi; every guest IPv4/IPv6 of a VM becomes a VM asset (needs VMware Tools).',
  kind: 'connector',
  options: VcenterOptions,
  schedule: { cron: '0 * * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const base = new URL(options.url);
    const origin = `${base.protocol}//${base.host}`;
    const http = new HttpClient(base, { tlsVerify: options.tls_verify, timeoutMs: options.timeout * 1000, signal: ctx.signal, maxSockets: options.concurrency });
    const session = new VcenterSession(http, options.username, options.password);
    const batch = emptyBatch(origin);
    // vCenter is the truth for what a VM is: type overwritten; tags merge; notes only fill empty ones.
    batch.policy = { asset: { type: 'overwrite', notes: 'fill', project: 'fill', tags: 'merge' }, host: { notes: 'fill', vendor: 'keep' } };
    if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
    try {
      ctx.progress({ phase: 'login', done: 0 });
      await session.login();
      ctx.log('info', `Logged in to ${origin} as ${options.username}`);
      const hosts = await listHosts(session);
      const vms = await listVms(session, hosts, ctx);
      const on = vms.filter((v) => v.power_state === undefined || v.power_state === 'POWERED_ON');
      ctx.log('info', `${hosts.length} ESXi host(s), ${vms.length} VM(s) (${vms.length - on.length} not powered on, not queried)`);
      const warn = (message: string): void => void batch.issues.push({ level: 'warning', location: 'guest', message });
      const guests = await readGuests(on, options.concurrency, ctx, (vm) => readGuest(session, vm, (m) => warn(m)));
      const lastSeen = options.mark_last_seen ? formatTimestamp(ctx.now) : undefined;
      mapInventory(batch, hosts, guests, { project: options.project, tags: options.tags, includeLoopback: options.include_loopback, includeLinkLocal: options.include_link_local, lastSeen });
      if (session.relogins > 0) ctx.log('warn', `The vCenter session expired during the run; logged in again ${session.relogins} time(s)`);
    } finally {
      await session.logout();
      http.close();
    }
    return batch;
  },
});

/** Reads guests with a bounded number of requests in flight; the first hard failure stops the rest. */
async function readGuests(vms: VmSummary[], concurrency: number, ctx: { progress: (p: { phase: string; done: number; total?: number }) => void; signal: AbortSignal }, read: (vm: VmSummary) => Promise<VmGuest | null>): Promise<VmGuest[]> {
  const results: (VmGuest | null)[] = new Array<VmGuest | null>(vms.length).fill(null);
  let next = 0;
  let done = 0;
  let failed: unknown = null;
  const worker = async (): Promise<void> => {
    while (failed === null && next < vms.length) {
      const i = next++;
      try {
        results[i] = await read(vms[i]!);
      } catch (err) {
        failed ??= err;
        return;
      }
      if (++done % 500 === 0) ctx.progress({ phase: 'guests', done, total: vms.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, vms.length)) }, worker));
  if (failed !== null) throw failed;
  ctx.progress({ phase: 'guests', done, total: vms.length });
  return results.filter((g): g is VmGuest => g !== null);
}
