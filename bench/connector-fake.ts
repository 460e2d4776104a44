/**
 * The fake vCenter or fake Nutanix for the connector benches, in its own process so the
 * benchmark's RSS is the connector's alone. Prints the URL, then serves until stdin closes.
 * Usage: tsx bench/connector-fake.ts <vms> <hosts> [ipv6Every]   (vCenter)
 *        tsx bench/connector-fake.ts nutanix <vms> [overlap]      (Nutanix: its first `overlap`
 *        VMs carry the name and address of vCenter's vm0…, a VM both platforms report)
 */
import { generateNutanix, shareWithVcenter, startFakeNutanix } from '../test/fakes/nutanix.js';
import { generateInventory, startFakeVcenter } from '../test/fakes/vcenter.js';

async function start(): Promise<{ url: string; close(): Promise<void> }> {
  if (process.argv[2] === 'nutanix') {
    const inv = generateNutanix(Number(process.argv[3] ?? 25_000));
    shareWithVcenter(inv.vms, Number(process.argv[4] ?? 0));
    return startFakeNutanix(inv);
  }
  const vms = Number(process.argv[2] ?? 50_000);
  const hosts = Number(process.argv[3] ?? 25);
  const ipv6Every = Number(process.argv[4] ?? 1);
  return startFakeVcenter(generateInventory(hosts, vms, ipv6Every));
}

const fake = await start();
console.log(fake.url);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
