import { useUrlListState } from '../shared/url-state';
import { readState, writeState, type ListState } from './model';

/** The IP list's state in the URL (the shared hook with the list's own parameters). */
export function useListUrlState(onUpdate: () => void): { state: ListState; search: string; setSearch: (q: string) => void; update: (patch: Partial<ListState>, resetPage?: boolean) => void } {
  return useUrlListState(readState, writeState, onUpdate);
}
