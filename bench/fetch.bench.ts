/**
 * The fetch side alone: one connector's collect against its fake (in its own process), without
 * the reconcile, for iterating on connector speed. Prints wall time, the connector's CPU
 * (process.cpuUsage), its peak RSS, the records it produced, the requests the fake served and
 * the fake's own CPU (a fake busier than the connector would make the figures lie).
 * Usage: npx tsx bench/fetch.bench.ts vcenter|nutanix|netdisco|librenms [count] [concurrency]
 *   vcenter: count VMs on 25 hosts, devices on; nutanix: count VMs; netdisco/librenms: a lab of
 *   count devices (generateLab's split, as in lab-sync.bench.ts).
 */
import os from 'node:os';
import { librenmsPlugin } from '../plugins/librenms/index.js';
import { netdiscoPlugin } from '../plugins/netdisco/index.js';
import { nutanixPlugin } from '../plugins/nutanix/index.js';
import { vcenterPlugin } from '../plugins/vcenter/index.js';
import type { Plugin, PluginContext } from '../src/plugins/define-plugin.js';
import { startFakeProcess } from './fake-process.js';

const source = process.argv[2] ?? 'netdisco';
const count = Number(process.argv[3] ?? 20_000);
const concurrency = process.argv[4] === undefined ? undefined : Number(process.argv[4]);

const setups: Record<string, { fake: string[]; plugin: Plugin; options: (url: string) => Record<string, unknown> }> = {
  vcenter: { fake: [String(count), '25', '4'], plugin: vcenterPlugin, options: (url) => ({ url, username: 'administrator@vsphere.local', password: 'VMware1!', devices: true, ...(concurrency ? { concurrency } : {}) }) },
  nutanix: { fake: ['nutanix', String(count)], plugin: nutanixPlugin, options: (url) => ({ url, username: 'admin', password: 'Nutanix/4u' }) },
  netdisco: { fake: ['netdisco', String(count)], plugin: netdiscoPlugin, options: (url) => ({ url, username: 'api_user', password: 'netdisco', page_size: 1000, ...(concurrency ? { concurrency } : {}) }) },
  librenms: { fake: ['librenms', String(count)], plugin: librenmsPlugin, options: (url) => ({ url, token: 'librenms-token-0123456789abcdef', ...(concurrency ? { concurrency } : {}) }) },
};

const setup = setups[source];
if (!setup) throw new Error(`unknown source ${source} (vcenter, nutanix, netdisco, librenms)`);
const fake = await startFakeProcess(setup.fake);
try {
  const before = await fake.stats();
  const logs: string[] = [];
  const ctx: PluginContext = {
    log: (level, message) => void logs.push(`${level}: ${message}`),
    progress: () => undefined,
    signal: new AbortController().signal,
    dryRun: true,
    limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 },
    now: new Date(),
  };
  const options = setup.plugin.options.parse(setup.options(fake.url)) as never;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const batch = await setup.plugin.collect({ files: [] }, options, ctx);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const after = await fake.stats();
  const requests = after.requests - before.requests;
  console.log(logs.join('\n'));
  console.log(
    JSON.stringify({
      source,
      count,
      concurrency: concurrency ?? 'default',
      seconds: Math.round(seconds * 100) / 100,
      connectorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      connectorSystemCpuMs: Math.round(cpu.system / 1000),
      connectorPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      devices: batch.devices?.length ?? 0,
      ipAssets: batch.ip_assets.length,
      requests,
      fakeCpuMs: after.cpuMs - before.cpuMs,
      cpuMsPerRequest: { connector: Math.round(((cpu.user + cpu.system) / 1000 / requests) * 100) / 100, fake: Math.round(((after.cpuMs - before.cpuMs) / requests) * 100) / 100 },
      load: os.loadavg().map((l) => Math.round(l * 10) / 10),
    }),
  );
} finally {
  fake.stop();
}
