import { parseAddressFast } from '../../src/domain/ip/address-fast.js';
import { isLoopback, tryParseAddress, type ParsedAddress } from '../../src/domain/ip/address.js';
import type { Batch } from '../../src/plugins/batch.js';
import type { HostSummary, VmGuest } from './read-inventory.js';

export interface MapOptions {
  project?: string;
  tags: string[];
  includeLoopback: boolean;
  includeLinkLocal: boolean;
  lastSeen?: string;
  /** ESXi hosts become hypervisor devices (the batch's device records) instead of Hosts. */
  devices?: boolean;
}

function isLinkLocal(ip: ParsedAddress): boolean {
  return ip.version === 4 ? ip.address.startsWith('169.254.') : /^fe[89ab][0-9a-f]:/.test(ip.address);
}

/**
 * Adds ESXi hosts (Host + `OS` asset tagged esxi) and VM guest addresses (`VM` assets) to the
 * batch: hosts first, then each guest as it is read (in VM order), so the raw guest answers of a
 * 50k-VM run are never all held at once. An address reported twice keeps its first owner (hosts
 * first) and warns, so one stray duplicate never rejects the whole run.
 */
export class InventoryMapper {
  /** Owner by canonical address (the batch holds those strings already; keys would be 100k more). */
  private readonly owner = new Map<string, string>();

  constructor(private readonly batch: Batch, private readonly o: MapOptions) {}

  private claim(ip: ParsedAddress, who: string, loc: string): boolean {
    const prior = this.owner.get(ip.address);
    if (prior === undefined) return void this.owner.set(ip.address, who), true;
    if (prior !== who) this.batch.issues.push({ level: 'warning', location: loc, message: `${ip.address} is also reported by ${prior}; kept there` });
    return false;
  }

  private usable(ip: ParsedAddress): boolean {
    return (this.o.includeLoopback || !isLoopback(ip)) && (this.o.includeLinkLocal || !isLinkLocal(ip));
  }

  addHosts(hosts: readonly HostSummary[]): void {
    const { batch, o } = this;
    for (const h of hosts) {
      const loc = `host ${h.host}`;
      const ip = tryParseAddress(h.name);
      if (!o.devices) batch.hosts.push({ loc, name: h.name, notes: `vCenter ESXi host ${h.name}`, project_name: o.project, os_ip: ip && this.usable(ip) ? ip.address : undefined, policy: { notes: 'fill' } });
      if (!ip) {
        batch.issues.push({ level: 'warning', location: loc, message: `ESXi host "${h.name}" is known by name only (the API gives no management IP; names are not resolved); host recorded without its OS IP` });
        continue;
      }
      if (!this.usable(ip) || !this.claim(ip, `ESXi host ${h.name}`, loc)) continue;
      batch.ip_assets.push({
        loc,
        ip_address: ip.address,
        type: 'OS',
        // As a device, the ESXi host links its address itself (devices are planned before addresses).
        host_name: o.devices ? undefined : h.name,
        project_name: o.project,
        notes: `vCenter ESXi host: ${h.name}`,
        tags: [...o.tags, 'esxi'],
        last_seen_at: o.lastSeen,
        policy: { host: 'overwrite' },
      });
    }
  }

  /**
   * One VM's guest addresses; returns the canonical addresses kept (usable, first owner). Strings
   * built with join() are flat; template literals keep ropes of several nodes each.
   */
  addGuest(g: VmGuest): string[] {
    const { batch, o } = this;
    const loc = ['vm ', g.vm.vm].join('');
    const notes = ['vCenter VM: ', g.vm.name, ' (host: ', g.vm.hostName, ')'].join('');
    const who = ['VM ', g.vm.name].join('');
    const kept: string[] = [];
    for (const raw of new Set(g.addresses)) {
      const ip = parseAddressFast(raw);
      if (!ip) {
        batch.issues.push({ level: 'warning', location: loc, message: `"${raw}" reported by ${g.vm.name} is not an IP address; skipped` });
        continue;
      }
      if (!this.usable(ip) || !this.claim(ip, who, loc)) continue;
      kept.push(ip.address);
      batch.ip_assets.push({
        loc: [loc, ' (', ip.address, ')'].join(''),
        ip_address: ip.address,
        type: 'VM',
        project_name: o.project,
        notes,
        tags: o.tags,
        last_seen_at: o.lastSeen,
      });
    }
    if (kept.length === 0 && g.addresses.length === 0) batch.issues.push({ level: 'warning', location: loc, message: `${g.vm.name} reports no guest IP address` });
    return kept;
  }
}
