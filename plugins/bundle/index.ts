import { z } from 'zod';
import { emptyBatch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { ImportInputError, NoInputError } from '../../src/plugins/errors.js';
import { optionFlag } from '../../src/plugins/options.js';
import { addNamedProjects, readCsvFile } from '../csv/parse-csv.js';
import { readBundleJson } from './parse-bundle.js';
import { isZip, readZipEntries } from './read-zip.js';

export const BundleOptions = z.object({
  preserve_existing_notes: optionFlag.default(false).describe('Keep a stored note that is not empty (as the per-asset flag)'),
  preserve_existing_type: optionFlag.default(false).describe('Keep the stored type of existing IPs'),
  merge_tags: optionFlag.default(false).describe('Add tags to existing ones instead of replacing them'),
});

/** The ipocket bundle: bundle.json (schema_version "1") or bundle.zip (bundle.json, else the CSVs inside). */
export const bundlePlugin = definePlugin({
  name: 'bundle',
  title: 'ipocket bundle (JSON or ZIP)',
  description: 'A bundle.json or bundle.zip exported by ipocket (this one or the original).',
  kind: 'importer',
  accepts: { extensions: ['.json', '.zip'], fields: ['file'] },
  options: BundleOptions,
  async collect(input, options, ctx) {
    const file = input.files[0];
    if (!file) throw new NoInputError('no bundle file given (multipart field "file")');
    const batch = emptyBatch(file.name);
    batch.policy = {
      asset: {
        ...(options.preserve_existing_notes ? { notes: 'fill' } : {}),
        ...(options.preserve_existing_type ? { type: 'keep' } : {}),
        ...(options.merge_tags ? { tags: 'merge' } : {}),
      },
    };
    // As the original: a bundle.json lists the vendors its hosts name (CSVs have no such list: those are created).
    if (!isZip(file.data)) {
      batch.vendorsMustExist = true;
      readBundleJson(file.data.toString('utf8'), file.name, batch);
      return batch;
    }
    const entries = await readZipEntries(file, ctx.limits);
    const json = entries.find((e) => /(^|\/)bundle\.json$/i.test(e.name));
    if (json) {
      ctx.log('info', `${file.name}: reading bundle.json`);
      batch.vendorsMustExist = true;
      readBundleJson(json.data.toString('utf8'), json.name, batch);
      return batch;
    }
    const csvs = entries.filter((e) => /\.csv$/i.test(e.name));
    if (csvs.length === 0) throw new ImportInputError('the ZIP holds neither bundle.json nor CSV files', file.name);
    // Catalogs before the rows that refer to them does not matter (the plan sees the whole batch).
    const rows = { n: 0 };
    for (const csv of csvs) await readCsvFile({ ...csv, field: undefined }, batch, ctx, rows);
    addNamedProjects(batch);
    return batch;
  },
});
