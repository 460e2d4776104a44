import type { z } from 'zod';
import { ProjectCreateSchema, ProjectUpdateSchema, TagCreateSchema, TagUpdateSchema, VendorCreateSchema, VendorUpdateSchema } from '../../services/schemas/catalog.js';
import { crudRoutes } from '../crud-routes.js';
import type { RouteSpec } from '../route-table.js';

/** A named catalog; DELETE answers 409 with the reason while something links to it. */
function catalogRoutes(key: 'projects' | 'vendors' | 'tags', entity: string, create: z.ZodType, update: z.ZodType, deleteNote: string): RouteSpec[] {
  const noun = entity.toLowerCase();
  return crudRoutes({
    key,
    read: 'read',
    write: 'editor',
    create,
    update,
    deleteConflicts: true,
    summaries: {
      list: `Every ${noun} by name (array).`,
      create: `Creates a ${noun}; a taken name answers 409.`,
      get: `One ${noun}.`,
      update: `Changes the fields sent of a ${noun}.`,
      delete: `Deletes a ${noun}. ${deleteNote}`,
    },
  });
}

export const catalogRouteSpecs: RouteSpec[] = [
  ...catalogRoutes('projects', 'Project', ProjectCreateSchema, ProjectUpdateSchema, '409 while IP assets are assigned to it.'),
  ...catalogRoutes('vendors', 'Vendor', VendorCreateSchema, VendorUpdateSchema, '409 while hosts use it.'),
  ...catalogRoutes('tags', 'Tag', TagCreateSchema, TagUpdateSchema, 'It is removed from every asset.'),
];
