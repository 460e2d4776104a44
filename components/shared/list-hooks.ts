import { useEffect, useState, type RefObject } from 'react';

/**
 * Loads a list page whenever `key` (the list's state) or `reload` changes; a newer request
 * aborts the one in flight, so a slow answer never replaces a newer one.
 */
export function usePagedFetch<T>(load: (signal: AbortSignal) => Promise<T>, key: string, reload: number): { page: T | null; loading: boolean; error: string; setError: (e: string) => void; setPage: React.Dispatch<React.SetStateAction<T | null>> } {
  const [page, setPage] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    load(ctrl.signal)
      .then((data) => {
        if (ctrl.signal.aborted) return;
        setPage(data);
        setError('');
        setLoading(false);
      })
      .catch((e: Error) => {
        if (ctrl.signal.aborted) return;
        setError(e.message);
        setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, reload]);
  return { page, loading, error, setError, setPage };
}

/** The green status line that goes away by itself after a few seconds. */
export function useFadingNotice(): [string, (message: string) => void] {
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (!notice) return undefined;
    const t = setTimeout(() => setNotice(''), 4000);
    return () => clearTimeout(t);
  }, [notice]);
  return [notice, setNotice];
}

/**
 * A list's keys: "/" focuses its search box; `more` handles the page's own ("n" opens Add).
 * Keys typed in a field, with a modifier, or while a drawer is open (`paused`) are left alone.
 */
export function useListKeys(search: RefObject<HTMLInputElement | null>, paused: boolean, more?: (key: string) => boolean): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || t.closest('input,textarea,select,[contenteditable=true]') || paused) return;
      if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
      } else if (more?.(e.key)) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [paused, more]);
}
