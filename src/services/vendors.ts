import { whereLive } from '../db/queries/live-assets.js';
import type { ServiceContext } from './context.js';
import { CatalogService, type CatalogSpec } from './catalog.js';
import { VendorCreateSchema, VendorUpdateSchema } from './schemas/catalog.js';
import { countOf } from './rows.js';

export interface Vendor {
  id: number;
  name: string;
}

/** Hardware vendors, referenced by hosts. */
export class VendorsService extends CatalogService<Vendor> {
  protected readonly spec: CatalogSpec<Vendor> = {
    table: 'vendors',
    entity: 'Vendor',
    targetType: 'VENDOR',
    fields: ['name'],
    createSchema: VendorCreateSchema,
    updateSchema: VendorUpdateSchema,
    defaults: {},
  };

  protected withDb(db: ServiceContext['db']): VendorsService {
    return new VendorsService({ ...this.ctx, db });
  }

  protected async deleteBlocker(row: Vendor): Promise<string | null> {
    const n = await countOf(this.ctx.db('hosts').where({ vendor_id: row.id }));
    return n > 0 ? `Vendor "${row.name}" is used by ${n} host(s); change their vendor first.` : null;
  }

  /** Active IP assets linked through hosts of each vendor. */
  async usageCounts(ids?: number[]): Promise<Map<number, number>> {
    const q = this.ctx
      .db('ip_assets as a')
      .join('hosts as h', 'h.id', 'a.host_id')
      .select('h.vendor_id as id')
      .count({ n: '*' })
      .modify(whereLive, 'a')
      .whereNotNull('h.vendor_id')
      .groupBy('h.vendor_id');
    if (ids) q.whereIn('h.vendor_id', ids);
    const rows = (await q) as { id: number; n: number | string }[];
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }
}
