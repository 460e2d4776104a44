/**
 * A source fake for the connector benches, in its own process so the benchmark's RSS and CPU
 * are the connector's alone (and a fake slower than the connector shows as such). Prints the
 * URL, then serves until stdin closes; each `stats` line on stdin is answered with one JSON line
 * on stdout: the requests served and the CPU this process used so far.
 * Usage: tsx bench/connector-fake.ts <vms> <hosts> [ipv6Every]   (vCenter)
 *        tsx bench/connector-fake.ts nutanix <vms> [overlap]      (Nutanix: its first `overlap`
 *        VMs carry the name and address of vCenter's vm0…, a VM both platforms report)
 *        tsx bench/connector-fake.ts netdisco|librenms <lab devices> [overlap]   (generateLab's split)
 */
import { createInterface } from 'node:readline';
import { served } from '../test/fakes/http-server.js';
import { generateLab } from '../test/fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms } from '../test/fakes/librenms.js';
import { netdiscoFromLab, startFakeNetdisco } from '../test/fakes/netdisco.js';
import { generateNutanix, shareWithVcenter, startFakeNutanix } from '../test/fakes/nutanix.js';
import { generateInventory, startFakeVcenter } from '../test/fakes/vcenter.js';

export interface FakeStats {
  requests: number;
  /** User + system CPU of the fake's process, since it started. */
  cpuMs: number;
  maxRssMb: number;
}

async function start(): Promise<{ url: string; close(): Promise<void> }> {
  const kind = process.argv[2];
  if (kind === 'nutanix') {
    const inv = generateNutanix(Number(process.argv[3] ?? 25_000));
    shareWithVcenter(inv.vms, Number(process.argv[4] ?? 0));
    return startFakeNutanix(inv);
  }
  if (kind === 'netdisco' || kind === 'librenms') {
    const lab = generateLab(Number(process.argv[3] ?? 20_000), Number(process.argv[4] ?? 0.4));
    return kind === 'netdisco' ? startFakeNetdisco({ devices: netdiscoFromLab(lab) }) : startFakeLibrenms({ devices: librenmsFromLab(lab) });
  }
  const vms = Number(process.argv[2] ?? 50_000);
  const hosts = Number(process.argv[3] ?? 25);
  const ipv6Every = Number(process.argv[4] ?? 1);
  return startFakeVcenter(generateInventory(hosts, vms, ipv6Every));
}

const fake = await start();
console.log(fake.url);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const cpu = process.cpuUsage();
  const stats: FakeStats = { requests: served.requests, cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  console.log(JSON.stringify(stats));
});
lines.on('close', () => void fake.close().then(() => process.exit(0)));
