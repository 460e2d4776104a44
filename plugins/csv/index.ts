import { z } from 'zod';
import { emptyBatch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { ImportInputError } from '../../src/plugins/errors.js';
import { optionFlag } from '../../src/plugins/options.js';
import { readCsvFile } from './parse-csv.js';

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
    if (input.files.length === 0) throw new ImportInputError('no CSV file given (upload hosts and/or ip_assets)');
    const batch = emptyBatch(input.files.map((f) => f.name).join(', '));
    batch.policy = {
      asset: {
        ...(options.preserve_existing_notes ? { notes: 'fill' } : {}),
        ...(options.preserve_existing_type ? { type: 'keep' } : {}),
        ...(options.merge_tags ? { tags: 'merge' } : {}),
      },
    };
    const rows = { n: 0 };
    for (const file of input.files) {
      const kind = await readCsvFile(file, batch, ctx, rows);
      ctx.log('info', `${file.name}: read as ${kind}`);
    }
    return batch;
  },
});
