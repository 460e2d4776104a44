/**
 * The fake vCenter for bench/connector.bench.ts, in its own process so the benchmark's RSS is the
 * connector's alone. Usage: tsx bench/connector-fake.ts <vms> <hosts> [ipv6Every]; prints the URL, then serves
 * until stdin closes.
 */
import { generateInventory, startFakeVcenter } from '../test/fakes/vcenter.js';

const vms = Number(process.argv[2] ?? 50_000);
const hosts = Number(process.argv[3] ?? 25);
const ipv6Every = Number(process.argv[4] ?? 1);
const fake = await startFakeVcenter(generateInventory(hosts, vms, ipv6Every));
console.log(fake.url);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
