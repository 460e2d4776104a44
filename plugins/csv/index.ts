import { z } from 'zod';
import { emptyBatch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { NoInputError } from '../../src/plugins/errors.js';
import { optionFlag } from '../../src/plugins/options.js';
import { addNamedProjects, readCsvFile } from './parse-csv.js';

export const CsvOptions = z.object({
  preserve_existing_notes: optionFlag.default(false).describe('Keep a stored note that is not empty'),
  preserve_existing_type: optionFlag.default(false).describe('Keep the stored type of existing IPs'),
  merge_tags: optionFlag.default(false).describe('Add tags to existing ones instead of replacing them'),
});

/** ip-assets.csv, hosts.csv (with os_ip/bmc_ip), projects.csv, vendors.csv, tags.csv, ranges.csv: any subset. */
export const csvPlugin = definePlugin({
  name: 'csv',
  title: 'CSV files',
  description: 'ip-assets.csv, hosts.csv, projects.csv, vendors.csv (and tags.csv, ranges.csv) with the original ipocket headers.',
  kind: 'importer',
  accepts: { extensions: ['.csv'], fields: ['ip_assets', 'hosts', 'projects', 'vendors', 'tags', 'ranges', 'file'], multiple: true },
  options: CsvOptions,
  async collect(input, options, ctx) {
    // An empty part (a form's unused file field) is ignored, as the original does.
    const files = input.files.filter((f) => !isBlank(f.data));
    if (files.length === 0) throw new NoInputError('CSV import requires at least one file.');
    const batch = emptyBatch(files.map((f) => f.name).join(', '));
    batch.policy = {
      asset: {
        ...(options.preserve_existing_notes ? { notes: 'fill' } : {}),
        ...(options.preserve_existing_type ? { type: 'keep' } : {}),
        ...(options.merge_tags ? { tags: 'merge' } : {}),
      },
    };
    const rows = { n: 0 };
    for (const file of files) {
      const kind = await readCsvFile(file, batch, ctx, rows);
      ctx.log('info', `${file.name}: read as ${kind}`);
    }
    addNamedProjects(batch);
    return batch;
  },
});

/** Nothing but whitespace (or a BOM); only small files are decoded to tell. */
function isBlank(data: Buffer): boolean {
  return data.length < 4096 && data.toString('utf8').replace(/^\uFEFF/, '').trim() === '';
}
