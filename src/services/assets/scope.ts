/**
 * Which assets a list shows by default: the live ones (src/db/queries/live-assets.ts holds the
 * one definition, which the key-space counts share). Surfaces take it from here.
 */
export { whereArchived, whereLive } from '../../db/queries/live-assets.js';
