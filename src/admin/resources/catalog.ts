import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import type { Services } from '../../services/index.js';
import { builtInActions, EDITORS, EVERYONE } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import type { ColumnSpec } from '../adapter/spec.js';
import { Components } from '../component-loader.js';
import { CATALOG } from './navigation.js';
import { PANEL_READER, panelServices, present } from './writer-context.js';

/** The part of a CatalogService the panel uses (structural, so each concrete service fits). */
interface CatalogWrites {
  create(input: unknown): Promise<{ id: number }>;
  update(id: number, input: unknown): Promise<unknown>;
  delete(id: number): Promise<void>;
  usageCounts(ids?: number[]): Promise<Map<number, number>>;
}

interface CatalogResourceSpec {
  id: 'projects' | 'tags' | 'vendors';
  deps: AppDeps;
  /** Which of the services this catalog is. */
  service: (services: Services) => CatalogWrites;
  /** Editable columns besides name. */
  extra: ColumnSpec[];
}

/** Projects, tags and vendors share one shape: unique name, a few fields, an IPs-using-it count. */
export function catalogResource({ id, deps, service, extra }: CatalogResourceSpec): ResourceWithOptions {
  const fields = ['name', ...extra.map((c) => c.path)];
  const hasColor = extra.some((c) => c.path === 'color');
  return {
    resource: new KnexTable(deps.db, {
      id,
      table: id,
      writeRoles: EDITORS,
      columns: [
        { path: 'id', type: 'number', isId: true, sort: ['id'] },
        { path: 'name', sort: ['name'], sortIsUnique: true, editable: true, required: true },
        ...extra,
        { path: 'ip_count', type: 'number', column: null },
        { path: 'created_at', sort: ['created_at'] },
        { path: 'updated_at', sort: ['updated_at'] },
      ],
      decorate: async (d, rows, { light }) => {
        if (light) return rows;
        const counts = await service(panelServices({ db: d, actor: PANEL_READER }, deps)).usageCounts(rows.map((r) => Number(r.id)));
        return rows.map((r) => ({ ...r, ip_count: counts.get(Number(r.id)) ?? 0 }));
      },
      writer: {
        create: async (ctx, v) => (await service(panelServices(ctx, deps)).create(dropNullColor(present(v, fields)))).id,
        update: async (ctx, rid, v) => void (await service(panelServices(ctx, deps)).update(rid, dropNullColor(present(v, fields)))),
        delete: (ctx, rid) => service(panelServices(ctx, deps)).delete(rid),
      },
    }),
    options: {
      id,
      navigation: CATALOG,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', ...extra.map((c) => c.path), 'ip_count'],
      filterProperties: ['name'],
      showProperties: ['name', ...extra.map((c) => c.path), 'ip_count', 'created_at', 'updated_at'],
      editProperties: fields,
      properties: hasColor ? { color: { components: { list: Components.ColorChip, show: Components.ColorChip }, description: 'Hex colour, e.g. #1e40af' } } : {},
      actions: builtInActions(EVERYONE, EDITORS),
    },
  };
}

/** An emptied colour field means "keep the default", not "no colour". */
function dropNullColor(values: Record<string, unknown>): Record<string, unknown> {
  if (values.color === null) delete values.color;
  return values;
}
