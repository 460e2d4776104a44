/** The CSV files ipocket reads and writes, with the original's headers (compat) plus tags.csv and ranges.csv. */
export const CSV_KINDS = ['ip_assets', 'hosts', 'projects', 'vendors', 'tags', 'ranges'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export interface CsvLayout {
  file: string;
  required: readonly string[];
  columns: readonly string[];
  /** Other spellings accepted on import. */
  aliases?: Readonly<Record<string, string>>;
}

export const CSV_LAYOUTS: Readonly<Record<CsvKind, CsvLayout>> = {
  ip_assets: {
    file: 'ip-assets.csv',
    required: ['ip_address'],
    columns: ['ip_address', 'type', 'project_name', 'host_name', 'tags', 'notes', 'archived', 'created_at', 'updated_at', 'preserve_existing_notes', 'preserve_existing_type', 'merge_tags', 'last_seen_at'],
    aliases: { ip: 'ip_address', address: 'ip_address', project: 'project_name', host: 'host_name' },
  },
  hosts: { file: 'hosts.csv', required: ['name'], columns: ['name', 'notes', 'vendor_name', 'project_name', 'os_ip', 'bmc_ip'], aliases: { vendor: 'vendor_name', project: 'project_name' } },
  projects: { file: 'projects.csv', required: ['name'], columns: ['name', 'description', 'color'] },
  vendors: { file: 'vendors.csv', required: ['name'], columns: ['name'] },
  tags: { file: 'tags.csv', required: ['name'], columns: ['name', 'color'] },
  ranges: { file: 'ranges.csv', required: ['cidr'], columns: ['name', 'cidr', 'notes'] },
};


/** Which kind a file is: by its form field, then its name (`ip-assets.csv`, `ip_assets.csv`), else null. */
export function csvKindOf(field: string | undefined, fileName: string): CsvKind | null {
  for (const candidate of [field, fileName.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '')]) {
    const k = (candidate ?? '').toLowerCase().replace(/-/g, '_');
    if ((CSV_KINDS as readonly string[]).includes(k)) return k as CsvKind;
  }
  return null;
}

/** Guesses the kind from a header row (for a file uploaded under a generic name). */
export function csvKindFromHeader(header: readonly string[]): CsvKind | null {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  if (h.has('ip_address')) return 'ip_assets';
  if (h.has('cidr')) return 'ranges';
  if (h.has('os_ip') || h.has('bmc_ip') || h.has('vendor_name')) return 'hosts';
  if (h.has('description')) return 'projects';
  if (h.has('color') && h.has('name')) return 'tags';
  if (h.size === 1 && h.has('name')) return 'vendors';
  return null;
}
