import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { TagsService } from '../../services/tags.js';
import { catalogResource } from './catalog.js';
import { withLibraryList } from './library.js';

/** Tags label IP assets. */
export function tagsResource(deps: AppDeps): ResourceWithOptions {
  return withLibraryList(catalogResource({ id: 'tags', db: deps.db, service: (ctx) => new TagsService(ctx), extra: [{ path: 'color', editable: true }] }));
}
