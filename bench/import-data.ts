/** Generates a realistic inventory of N IP assets as an ipocket bundle and as CSV files (deterministic). */

export interface GeneratedInput {
  bundle: Buffer;
  csv: { name: string; field: string; data: Buffer }[];
}

const TYPES = ['VM', 'OS', 'BMC', 'VIP', 'OTHER'];
const VENDORS = ['Dell', 'HPE', 'Supermicro', 'Lenovo', 'Cisco', 'Fujitsu', 'VMware', 'Nutanix', 'Juniper', 'Arista'];
const TAGS = ['prod', 'staging', 'dev', 'web', 'db', 'cache', 'edge', 'k8s', 'backup', 'monitoring', 'critical', 'legacy'];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** `count` assets in 10.0.0.0/8 (every 10th IPv6), 1 host per 20 assets (OS + BMC linked), 25 projects. */
export function generateInventory(count: number): GeneratedInput {
  const projects = Array.from({ length: 25 }, (_, i) => ({ name: `project-${i}`, description: `Project ${i}`, color: `#${((i * 0x3a5f1d) & 0xffffff).toString(16).padStart(6, '0')}` }));
  const hostCount = Math.floor(count / 20);
  const hosts = Array.from({ length: hostCount }, (_, i) => ({
    name: `host-${String(i).padStart(6, '0')}`,
    notes: i % 3 === 0 ? `rack ${i % 40}` : null,
    vendor_name: VENDORS[i % VENDORS.length]!,
    project_name: projects[i % projects.length]!.name,
    os_ip: null as string | null,
    bmc_ip: null as string | null,
  }));
  const assets = [];
  for (let i = 0; i < count; i++) {
    const ip = i % 10 === 9 ? `2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    let type = TYPES[i % TYPES.length]!;
    let host: string | null = null;
    const h = Math.floor(i / 20);
    if (h < hostCount && i % 20 === 0) {
      type = 'OS';
      host = hosts[h]!.name;
      hosts[h]!.os_ip = ip;
    } else if (h < hostCount && i % 20 === 1) {
      type = 'BMC';
      host = hosts[h]!.name;
      hosts[h]!.bmc_ip = ip;
    }
    assets.push({
      ip_address: ip,
      type,
      project_name: i % 7 === 0 ? null : projects[i % projects.length]!.name,
      host_name: host,
      notes: i % 4 === 0 ? `asset ${i}, owner team-${i % 13}` : null,
      archived: i % 50 === 0,
      created_at: '2025-06-01 12:00:00',
      updated_at: '2025-06-02 12:00:00',
      tags: i % 3 === 0 ? [] : [TAGS[i % TAGS.length]!, TAGS[(i * 7) % TAGS.length]!].filter((t, k, a) => a.indexOf(t) === k).sort(),
    });
  }
  const data = {
    vendors: VENDORS.map((name) => ({ name })),
    projects,
    hosts,
    ip_assets: assets,
    tags: TAGS.map((name, i) => ({ name, color: `#${(0x202020 + i * 0x0a0b0c).toString(16).slice(-6)}` })),
    ranges: Array.from({ length: 16 }, (_, i) => ({ name: `net-${i}`, cidr: `10.${i}.0.0/16`, notes: null })),
  };
  const bundle = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', exported_at: new Date(0).toISOString(), data }));
  const line = (cells: (string | null | boolean)[]): string => cells.map((c) => csvCell(c === null ? '' : String(c))).join(',') + '\n';
  const ipCsv = ['ip_address,type,project_name,host_name,tags,notes,archived,created_at,updated_at\n'];
  for (const a of assets) ipCsv.push(line([a.ip_address, a.type, a.project_name, a.host_name, a.tags.join(', '), a.notes, a.archived, a.created_at, a.updated_at]));
  const hostCsv = ['name,notes,vendor_name,project_name,os_ip,bmc_ip\n'];
  for (const h of hosts) hostCsv.push(line([h.name, h.notes, h.vendor_name, h.project_name, h.os_ip, h.bmc_ip]));
  const projCsv = ['name,description,color\n', ...projects.map((p) => line([p.name, p.description, p.color]))];
  const vendCsv = ['name\n', ...VENDORS.map((v) => line([v]))];
  return {
    bundle,
    csv: [
      { name: 'vendors.csv', field: 'vendors', data: Buffer.from(vendCsv.join('')) },
      { name: 'projects.csv', field: 'projects', data: Buffer.from(projCsv.join('')) },
      { name: 'hosts.csv', field: 'hosts', data: Buffer.from(hostCsv.join('')) },
      { name: 'ip-assets.csv', field: 'ip_assets', data: Buffer.from(ipCsv.join('')) },
    ],
  };
}
