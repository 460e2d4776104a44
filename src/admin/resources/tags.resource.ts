import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { catalogResource } from './catalog.js';
import { withLibraryList } from './library.js';

/** Tags label IP assets. */
export function tagsResource(deps: AppDeps): ResourceWithOptions {
  return withLibraryList(catalogResource({ id: 'tags', deps, service: (s) => s.tags, extra: [{ path: 'color', editable: true }] }));
}
