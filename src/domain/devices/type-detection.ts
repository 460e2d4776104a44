import type { DeviceKind } from './kinds.js';

/**
 * What a device is, from the strings discovery tools report (vendor, model/hardware, OS,
 * sysDescr, LibreNMS' own device type). LAIM sorts synced gear into its categories by model and
 * vendor keywords; this is the same idea as an ordered table, so a new product line is one row
 * and the reason for every verdict (the rule id) can be shown next to it.
 */
export interface DeviceStrings {
  vendor?: string | null;
  /** Model or hardware (`WS-C3850-48P`, LibreNMS `hardware`, vSphere/SMBIOS model). */
  model?: string | null;
  /** OS name or family (`ios-xe`, `ESXi`, `Windows 11 Pro`, `tizen`). */
  os?: string | null;
  /** Free text such as sysDescr: searched only by rules that ask for `text`. */
  description?: string | null;
  /** A source's own classification (LibreNMS `type`: network, server, wireless, storage, workstation, firewall). */
  sourceType?: string | null;
}

interface TypeRule {
  id: string;
  kind: DeviceKind;
  model?: RegExp;
  os?: RegExp;
  /** Matched against vendor, model, OS and description together. */
  text?: RegExp;
}

/**
 * First match wins, so the specific rows come before the general ones: virtual machines before
 * the hypervisors they name, a vendor's switch line before its access points, product lines
 * before bare keywords ("switch", "server"), and the source's own type after every string.
 */
const RULES: readonly TypeRule[] = [
  // Virtual machines: the SMBIOS model a guest reports names its hypervisor (Nutanix guests say "AHV").
  { id: 'vm-virtual-platform', kind: 'vm', model: /\bvmware ?(virtual platform|\d+,\d+)|\bvirtual ?box\b|\bqemu\b|\bkvm\b|\bhvm domu\b|^virtual machine$|^ahv$/i },
  // Hypervisors.
  { id: 'hypervisor-esxi', kind: 'hypervisor', text: /\besxi?\b|\bvmware esx\b/i },
  { id: 'hypervisor-other', kind: 'hypervisor', text: /\bproxmox ve\b|\bhyper-v server\b|\bxcp-ng\b|\bxenserver\b|\bnutanix ahv\b|\bahv \d/i },
  // Smart TVs.
  { id: 'tv-os', kind: 'smart_tv', os: /\b(tizen|webos|android ?tv|google ?tv|roku ?os|fire ?os|tvos)\b/i },
  { id: 'tv-model', kind: 'smart_tv', text: /\bsmart ?tv\b|\b(bravia|oled\d{2}[a-z]\d|qn\d{2}[a-z]|un\d{2}[a-z]{2}\d|apple tv|chromecast|roku)/i },
  // Storage.
  { id: 'storage', kind: 'storage', text: /\b(netapp|fas\d{3,4}|aff ?a\d{3}|synology|diskstation|rackstation|qnap|powervault|powerstore|unity ?xt|pure ?storage|flasharray|truenas|ontap|isilon|powerscale|equallogic|msa ?\d{4})\b/i },
  // Switch lines whose vendors also make access points or routers: before those.
  { id: 'switch-unifi', kind: 'switch', model: /\b(usw|us-\d+|unifi switch)/i },
  { id: 'switch-mikrotik-crs', kind: 'switch', model: /\bcrs\d{3}/i },
  { id: 'switch-aruba-hpe', kind: 'switch', model: /\b(procurve|aruba ?(cx )?\d{4}[a-z]?\b|j\d{4}[a-z]\b|[2-6]\d{3}[fm]\b|officeconnect)/i },
  // Access points.
  { id: 'wap-unifi', kind: 'wap', model: /\b(uap|u6|u7|unifi (ap|u6|u7|nanohd|flexhd|ac)|nanohd|flexhd)/i },
  { id: 'wap-aruba', kind: 'wap', model: /\b(ap-\d{3}|iap-\d{3}|instant on ap)/i },
  { id: 'wap-cisco', kind: 'wap', model: /\b(aironet|air-[a-z]*ap|c9[12]\d{2}ax|cw9\d{3})/i },
  { id: 'wap-other', kind: 'wap', model: /\b(meraki mr\d+|mr\d{2}\b|ruckus [rt]\d{3}|mist ap|eap\d{3}|wax\d{3})/i },
  // Routers and firewalls (a firewall routes; LAIM has no firewall category).
  { id: 'router-cisco', kind: 'router', model: /\b(isr ?\d{3,4}|asr ?\d{3,4}|c8[23]\d{2}|csr ?1000v|cisco ?\d{4}\b|ir\d{4})/i },
  { id: 'router-juniper', kind: 'router', model: /\b(mx\d{2,4}|srx\d{3,4}|vsrx|acx\d{3,4})\b/i },
  { id: 'router-mikrotik-ubiquiti', kind: 'router', model: /\b(routerboard|rb\d{3,4}|ccr\d{4}|hex|edgerouter|er-(x|4|6|12)|udm|unifi dream machine|usg)\b/i },
  { id: 'router-firewall', kind: 'router', text: /\b(fortigate|fortios|pfsense|opnsense|pa-\d{3,4}|pan-os|sonicwall|asa ?\d{4}|firepower)\b/i },
  { id: 'router-os', kind: 'router', os: /\b(routeros|vyos|edgeos|iosxr|ios-xr)\b/i },
  // Switches.
  { id: 'switch-cisco', kind: 'switch', model: /\b(catalyst|ws-c\d{4}|c9[2-6]\d{2}|c[23]9\d{2}|nexus|n[3579]k|sg\d{3}|cbs\d{3}|ie-\d{4})/i },
  { id: 'switch-juniper-arista', kind: 'switch', model: /\b(ex\d{4}|qfx\d{4}|dcs-\d{4}|arista ?\d{4})/i },
  { id: 'switch-other', kind: 'switch', model: /\b(powerswitch|n[1-4]\d{3}[a-z]*\b|s\d{4}-on|gs\d{3}|xs\d{3}|m4300|ms\d{3}\b|sx\d{3,4}|icx ?\d{4})/i },
  { id: 'switch-os', kind: 'switch', os: /\b(nx-?os|eos|arubaos-cx|aos-cx|cumulus|sonic|dnos|ftos)\b/i },
  // Computers, by product line.
  { id: 'laptop-line', kind: 'laptop', text: /\b(thinkpad|latitude|macbook|elitebook|probook|zbook|xps ?1[3-7]|surface (laptop|pro|book)|chromebook|inspiron 1[3-6]|ideapad|spectre|envy x360)\b/i },
  { id: 'desktop-line', kind: 'desktop', text: /\b(optiplex|elitedesk|prodesk|thinkcentre|imac|mac ?mini|mac ?studio|precision (\d{4} )?tower|nuc\d*)\b/i },
  { id: 'server-line', kind: 'server', text: /\b(poweredge|proliant|thinksystem|ucs[- ]?[bc]\d{2,3}|supermicro|superserver|primergy)\b/i },
  // Bare keywords, once no product line spoke.
  { id: 'wap-keyword', kind: 'wap', text: /\b(access point|wireless ap|wap)\b/i },
  { id: 'switch-keyword', kind: 'switch', text: /\bswitch\b/i },
  { id: 'router-keyword', kind: 'router', text: /\b(router|firewall)\b/i },
  { id: 'laptop-keyword', kind: 'laptop', text: /\b(laptop|notebook)\b/i },
  { id: 'desktop-keyword', kind: 'desktop', text: /\b(desktop|workstation)\b/i },
  { id: 'server-keyword', kind: 'server', text: /\bserver\b/i },
];

/** A source's own classification (LibreNMS device types), used when no string rule matched. */
const SOURCE_TYPES: Record<string, DeviceKind> = { wireless: 'wap', storage: 'storage', server: 'server', workstation: 'desktop', firewall: 'router' };

export interface DetectedKind {
  kind: DeviceKind;
  /** The rule that decided (null: nothing matched, so `other`). */
  rule: string | null;
}

const clean = (s: string | null | undefined): string => (s ?? '').trim();

/** The kind of a device from its reported strings; `other` when no rule matches. Pure and cheap: safe per row of a 100k-device sync. */
export function detectDeviceKind(s: DeviceStrings): DetectedKind {
  const vendor = clean(s.vendor);
  const model = clean(s.model);
  const os = clean(s.os);
  const text = [vendor, model, os, clean(s.description)].filter(Boolean).join(' ');
  for (const r of RULES) {
    if (r.model && !r.model.test(model)) continue;
    if (r.os && !r.os.test(os)) continue;
    if (r.text && !r.text.test(text)) continue;
    return { kind: r.kind, rule: r.id };
  }
  const byType = SOURCE_TYPES[clean(s.sourceType).toLowerCase()];
  return byType ? { kind: byType, rule: 'source-type' } : { kind: 'other', rule: null };
}

/** Every rule id, in the order they are tried (for tests and for showing why a kind was chosen). */
export const TYPE_RULE_IDS: readonly string[] = [...RULES.map((r) => r.id), 'source-type'];
