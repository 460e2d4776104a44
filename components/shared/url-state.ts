import { useCallback, useEffect, useState } from 'react';

/** What a list keeps in its URL: at least the search text and the page. */
export type UrlListState = { q: string; page: number };

/**
 * A list's state, kept in the URL: `update` changes both (a history entry, so Back undoes a
 * filter) and calls `onUpdate` (the list clears its selection); back/forward restore it; the
 * search box follows the typing and reaches the URL after a short pause. `read`/`write` are the
 * page's own parameter spelling.
 */
export function useUrlListState<S extends UrlListState>(
  read: (search: string) => S,
  write: (state: S) => string,
  onUpdate: () => void,
): { state: S; search: string; setSearch: (q: string) => void; update: (patch: Partial<S>, resetPage?: boolean) => void } {
  const [state, setStateRaw] = useState<S>(() => read(window.location.search));
  const [search, setSearch] = useState(state.q);

  const update = useCallback(
    (patch: Partial<S>, resetPage = true) => {
      setStateRaw((prev) => {
        const next = { ...prev, ...patch, ...(resetPage && !('page' in patch) ? { page: 1 } : {}) };
        const url = `${window.location.pathname}${write(next)}`;
        if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', url);
        return next;
      });
      onUpdate();
    },
    [onUpdate, write],
  );

  // AdminJS appends ?refresh=true after its own forms; keep only our parameters in the URL.
  useEffect(() => {
    const clean = `${window.location.pathname}${write(read(window.location.search))}`;
    if (clean !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', clean);
  }, []);

  useEffect(() => {
    const onPop = (): void => {
      const s = read(window.location.search);
      setStateRaw(s);
      setSearch(s.q);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // Live search: the URL follows the typing after a short pause.
  useEffect(() => {
    if (search === state.q) return undefined;
    const t = setTimeout(() => update({ q: search } as Partial<S>), 250);
    return () => clearTimeout(t);
  }, [search, state.q, update]);

  return { state, search, setSearch, update };
}
