import { applySearchText } from '../../services/assets/address-search.js';
import { whereNotesContain, whereTaggedAny } from '../../services/assets/column-filters.js';
import type { CustomFilter } from '../adapter/spec.js';

/** The IP filter reads its text like the REST list's `q` and the drill-down's search (one reader). */
export const addressFilter: CustomFilter = (db, query, value) => {
  applySearchText(db, query, value, 't');
};

/** Assets carrying any of the tags named ("a, b"). */
export const tagFilter: CustomFilter = (db, query, value) => whereTaggedAny(db, query, value, 't');

/** Notes containing the text (driven from the asset text index). */
export const notesFilter: CustomFilter = (db, query, value) => whereNotesContain(db, query, value, 't');
