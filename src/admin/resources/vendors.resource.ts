import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { catalogResource } from './catalog.js';
import { withLibraryList } from './library.js';

/** Hardware vendors, referenced by hosts. */
export function vendorsResource(deps: AppDeps): ResourceWithOptions {
  return withLibraryList(catalogResource({ id: 'vendors', deps, service: (s) => s.vendors, extra: [] }));
}
