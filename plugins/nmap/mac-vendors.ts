import type { AssetType } from '../../src/domain/asset-types.js';

// Nmap's MAC vendor names (nmap-mac-prefixes), matched loosely: a virtual NIC means a VM,
// a server maker's NIC usually means the host OS (or its BMC, which an operator then retypes).
const HYPERVISOR = /\b(vmware|qemu|xensource|xen|microsoft|hyper-v|parallels|virtualbox|oracle|innotek|red hat|nutanix|bhyve|proxmox)\b/i;
const SERVER = /\b(dell|hewlett|hpe|hp enterprise|supermicro|super micro|lenovo|ibm|cisco|fujitsu|inspur|huawei|quanta|gigabyte|asrock rack|oracle sun|sun microsystems|intel corporate)\b/i;

/** VM for hypervisor vendors, OS for server vendors, else OTHER. */
export function guessTypeFromVendor(vendor: string | undefined): AssetType {
  if (!vendor) return 'OTHER';
  if (HYPERVISOR.test(vendor)) return 'VM';
  if (SERVER.test(vendor)) return 'OS';
  return 'OTHER';
}

/** A tag name for a vendor: "Hewlett Packard Enterprise" → "hewlett-packard-enterprise". */
export function vendorTag(vendor: string): string | null {
  const slug = vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return slug || null;
}
