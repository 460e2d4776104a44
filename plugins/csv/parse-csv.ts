import { parse, type CsvError } from 'csv-parse';
import { fieldLoc, type Batch, type BatchIssue } from '../../src/plugins/batch.js';
import type { PluginContext, PluginFile } from '../../src/plugins/define-plugin.js';
import { ImportInputError, ImportLimitError } from '../../src/plugins/errors.js';
import { CSV_LAYOUTS, csvKindFromHeader, csvKindOf, type CsvKind } from './columns.js';

const TRUE = new Set(['1', 'true', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'off', '']);

/** Undoes the export's formula-injection guard (a ' before = + - @ TAB CR), so CSVs round-trip. */
function unescapeCell(v: string): string {
  return v.charCodeAt(0) === 39 && v.length > 1 && /^[=+\-@\t\r]/.test(v.slice(1)) ? v.slice(1) : v;
}

/** Per-asset merge flags read from the optional columns. */
function flag(value: string | undefined): boolean | null {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return null;
}

/**
 * Streams one CSV file into the batch with csv-parse: a header row naming the columns, then one
 * record per row. A row that cannot be parsed (broken quoting, wrong column count, bad boolean)
 * becomes an error at `file:line N`; the file as a whole is refused only for missing columns.
 */
export async function readCsvFile(file: PluginFile, batch: Batch, ctx: PluginContext, rowsSoFar: { n: number }): Promise<CsvKind> {
  const issues = batch.issues;
  const err = (location: string, message: string): void => void issues.push({ level: 'error', location, message } satisfies BatchIssue);
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, max_record_size: 1_000_000 });
  parser.on('skip', (e: CsvError & { lines?: number }) => err(`${file.name}:line ${e.lines ?? '?'}`, `unreadable row: ${e.message.replace(/ at line \d+.*$/, '')}`));

  let kind: CsvKind | null = null;
  let columns: string[] = [];
  // Records are handled synchronously as the parser produces them ('readable' + read()):
  // an async iterator would cost a promise per row.
  const handle = (record: string[], lines: number): void => {
    const loc = `${file.name}:line ${lines}`;
    if (!kind) {
      const header = record.map((c) => c.trim().toLowerCase());
      kind = csvKindOf(file.field, file.name) ?? csvKindFromHeader(header);
      if (!kind) throw new ImportInputError('cannot tell which table this CSV holds: name it ip-assets.csv, hosts.csv, projects.csv, vendors.csv, tags.csv or ranges.csv', file.name);
      const layout = CSV_LAYOUTS[kind];
      columns = header.map((c) => layout.aliases?.[c] ?? c);
      const missing = layout.required.filter((c) => !columns.includes(c));
      if (missing.length > 0) {
        throw new ImportInputError(`missing column(s) ${missing.join(', ')}; a ${layout.file} has the header "${layout.columns.slice(0, 9).join(',')}"`, loc);
      }
      const unknown = columns.filter((c) => !layout.columns.includes(c));
      if (unknown.length > 0) issues.push({ level: 'warning', location: loc, message: `ignored unknown column(s): ${unknown.join(', ')}` });
      return;
    }
    if (record.length !== columns.length) return err(loc, `expected ${columns.length} columns, got ${record.length}`);
    if (++rowsSoFar.n > ctx.limits.maxRows) throw new ImportLimitError(`More than ${ctx.limits.maxRows} rows (IPOCKET_IMPORT_MAX_ROWS).`);
    const row: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = unescapeCell(record[i]!);
    addRow(kind, row, loc, batch, err);
    if (rowsSoFar.n % 10_000 === 0) ctx.progress({ phase: 'read', done: rowsSoFar.n });
  };
  await new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      try {
        let item: { record: string[]; info: { lines: number } } | null;
        while ((item = parser.read() as typeof item) !== null) handle(item.record, item.info.lines);
      } catch (e) {
        parser.destroy();
        reject(e);
      }
    });
    parser.on('error', (e: CsvError & { lines?: number }) => {
      // An unclosed quote at the end of the file is not skippable: report it on its line.
      err(`${file.name}:line ${e.lines ?? '?'}`, `unreadable row: ${String(e.message).replace(/ at line \d+.*$/, '')}`);
      resolve();
    });
    parser.on('end', () => resolve());
    // Feed the upload in slices so the parser streams (and yields) instead of holding one huge chunk.
    for (let i = 0; i < file.data.length; i += 1 << 20) parser.write(file.data.subarray(i, i + (1 << 20)));
    parser.end();
  });
  if (!kind) throw new ImportInputError('the file is empty (no header row)', file.name);
  return kind;
}

function addRow(kind: CsvKind, row: Record<string, string>, loc: string, batch: Batch, err: (loc: string, msg: string) => void): void {
  const opt = (k: string): string | undefined => row[k];
  switch (kind) {
    case 'vendors':
      batch.vendors.push({ loc, name: row.name! });
      return;
    case 'projects':
      batch.projects.push({ loc, name: row.name!, description: opt('description'), color: opt('color') || undefined });
      return;
    case 'tags':
      batch.tags.push({ loc, name: row.name!, color: opt('color') || undefined });
      return;
    case 'ranges':
      batch.ranges.push({ loc, cidr: row.cidr!, name: opt('name') || undefined, notes: opt('notes') });
      return;
    case 'hosts':
      batch.hosts.push({ loc, name: row.name!, notes: opt('notes'), vendor_name: opt('vendor_name'), project_name: opt('project_name'), os_ip: opt('os_ip'), bmc_ip: opt('bmc_ip') });
      return;
    case 'ip_assets': {
      const archived = flag(opt('archived'));
      const flags = { notes: flag(opt('preserve_existing_notes')), type: flag(opt('preserve_existing_type')), tags: flag(opt('merge_tags')) };
      if (archived === null) return err(`${loc} (archived)`, `"${opt('archived')}" is not true/false`);
      if (flags.notes === null || flags.type === null || flags.tags === null) return err(loc, 'merge flag columns take true/false');
      batch.ip_assets.push({
        loc,
        ip_address: row.ip_address!,
        type: opt('type') || undefined,
        project_name: opt('project_name'),
        host_name: opt('host_name'),
        tags: opt('tags') === undefined ? undefined : opt('tags')!.split(',').map((t) => t.trim()).filter(Boolean),
        notes: opt('notes'),
        archived: opt('archived') === undefined ? undefined : archived,
        created_at: opt('created_at') || undefined,
        updated_at: opt('updated_at') || undefined,
        // Our exports add it last; an empty cell keeps what is stored.
        last_seen_at: opt('last_seen_at') || undefined,
        policy: flags.notes || flags.type || flags.tags ? { ...(flags.notes ? { notes: 'fill' } : {}), ...(flags.type ? { type: 'keep' } : {}), ...(flags.tags ? { tags: 'merge' } : {}) } : undefined,
      });
      return;
    }
  }
}

/**
 * Projects the rows name but no projects.csv lists, added as bare names: a CSV import creates
 * them, as it creates vendors (the original derives both from the rows).
 */
export function addNamedProjects(batch: Batch): void {
  const listed = new Set(batch.projects.map((p) => p.name.trim()));
  for (const r of [...batch.hosts, ...batch.ip_assets]) {
    const name = r.project_name?.trim();
    if (!name || listed.has(name)) continue;
    listed.add(name);
    batch.projects.push({ loc: fieldLoc(r.loc, 'project_name'), name });
  }
}
