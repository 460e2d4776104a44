import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import JSZip from 'jszip';
import type { Db } from '../../db/connection.js';
import {
  exportAssets,
  exportHosts,
  exportProjects,
  exportRanges,
  exportTags,
  exportVendors,
  type ExportAsset,
  type ExportFilter,
} from './records.js';

export const DATASETS = ['ip-assets', 'hosts', 'vendors', 'projects', 'tags', 'ranges'] as const;
export type Dataset = (typeof DATASETS)[number];

/** The columns of each dataset's CSV, in order: the original's headers, then ours (the CSV importer reads them back). */
const EXPORT_COLUMNS: Readonly<Record<Dataset, readonly string[]>> = {
  'ip-assets': ['ip_address', 'type', 'project_name', 'host_name', 'tags', 'notes', 'archived', 'created_at', 'updated_at', 'last_seen_at'],
  hosts: ['name', 'notes', 'vendor_name', 'project_name', 'os_ip', 'bmc_ip'],
  projects: ['name', 'description', 'color'],
  vendors: ['name'],
  tags: ['name', 'color'],
  ranges: ['name', 'cidr', 'notes'],
};

/** Pages of one dataset's records; only IP assets take the list filters. */
function pages(db: Db, dataset: Dataset, filter: ExportFilter): AsyncGenerator<object[]> {
  switch (dataset) {
    case 'ip-assets':
      return exportAssets(db, filter);
    case 'hosts':
      return exportHosts(db);
    case 'vendors':
      return exportVendors(db);
    case 'projects':
      return exportProjects(db);
    case 'tags':
      return exportTags(db);
    case 'ranges':
      return exportRanges(db);
  }
}

/** Text chunks as UTF-8 Buffers: JSZip reads string chunks of a stream as binary strings, mangling non-ASCII. */
async function* utf8(chunks: AsyncGenerator<string>): AsyncGenerator<Buffer> {
  for await (const c of chunks) yield Buffer.from(c, 'utf8');
}

/** Spreadsheet formula injection: a cell starting with = + - @ TAB or CR is prefixed with '. The CSV importer strips it again. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return safeCell(v.join(', '));
  // Python's spelling, as the original writes it (its readers and ours accept any case).
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return safeCell(String(v));
}

/** A dataset as CSV with the original's headers, streamed page by page. */
export function csvStream(db: Db, dataset: Dataset, filter: ExportFilter): Readable {
  const columns = EXPORT_COLUMNS[dataset];
  async function* lines(): AsyncGenerator<string> {
    yield stringify([columns as string[]]);
    for await (const page of pages(db, dataset, filter)) {
      yield stringify(page.map((r) => columns.map((c) => csvValue((r as Record<string, unknown>)[c]))));
    }
  }
  return Readable.from(utf8(lines()));
}

/** A JSON array of records streamed page by page. */
export function jsonStream(db: Db, dataset: Dataset, filter: ExportFilter): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield '[';
    let first = true;
    for await (const page of pages(db, dataset, filter)) {
      for (const r of page) {
        yield (first ? '\n' : ',\n') + JSON.stringify(r);
        first = false;
      }
    }
    yield first ? ']' : '\n]\n';
  }
  return Readable.from(utf8(chunks()));
}

/**
 * The bundle: `{app, schema_version:"1", exported_at, data:{vendors, projects, hosts, ip_assets, tags, ranges}}`.
 * The original's four sections come first and keep its field names; `tags` (with colours) and
 * `ranges` are extra sections an importer that does not know them skips.
 */
export function bundleJsonStream(db: Db, filter: ExportFilter, exportedAt = new Date()): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield `{"app":"ipocket","schema_version":"1","exported_at":${JSON.stringify(exportedAt.toISOString())},"data":{`;
    const sections: [string, () => AsyncGenerator<object[]>][] = [
      ['vendors', () => exportVendors(db)],
      ['projects', () => exportProjects(db)],
      ['hosts', () => exportHosts(db)],
      ['ip_assets', () => exportAssets(db, filter) as AsyncGenerator<ExportAsset[]>],
      ['tags', () => exportTags(db)],
      ['ranges', () => exportRanges(db)],
    ];
    for (const [i, [name, read]] of sections.entries()) {
      yield `${i ? ',' : ''}\n"${name}":[`;
      let first = true;
      for await (const page of read()) {
        for (const r of page) {
          yield (first ? '\n' : ',\n') + JSON.stringify(r);
          first = false;
        }
      }
      yield ']';
    }
    yield '\n}}\n';
  }
  return Readable.from(utf8(chunks()));
}

/** bundle.zip: bundle.json plus every dataset as CSV, each entry streamed into the archive. */
export function bundleZipStream(db: Db, filter: ExportFilter, exportedAt = new Date()): Readable {
  const zip = new JSZip();
  zip.file('bundle.json', bundleJsonStream(db, filter, exportedAt));
  for (const d of DATASETS) zip.file(`${d}.csv`, csvStream(db, d, filter));
  return zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }) as unknown as Readable;
}
