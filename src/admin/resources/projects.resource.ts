import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { catalogResource } from './catalog.js';
import { withLibraryList } from './library.js';

/** Projects own IP assets; shown as colour chips everywhere. */
export function projectsResource(deps: AppDeps): ResourceWithOptions {
  return withLibraryList(catalogResource({
    id: 'projects',
    deps,
    service: (s) => s.projects,
    extra: [
      { path: 'color', editable: true },
      { path: 'description', type: 'textarea', editable: true },
    ],
  }));
}
