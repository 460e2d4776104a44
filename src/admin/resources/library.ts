import type { ResourceWithOptions } from 'adminjs';
import { allow, EVERYONE } from '../access.js';
import { Components } from '../component-loader.js';

/** Projects, tags and vendors list as one Library page with a tab each (components/library). */
export function withLibraryList(resource: ResourceWithOptions): ResourceWithOptions {
  const actions = resource.options.actions ?? {};
  return { ...resource, options: { ...resource.options, actions: { ...actions, list: { isAccessible: allow(EVERYONE), component: Components.Library, hideActionHeader: true, showFilter: false } } } };
}
