import { useCallback, useEffect, useState } from 'react';

/**
 * A page's parameters kept in the query string: `set` pushes a history entry (Back undoes a
 * filter), back/forward restore them, and only the listed keys are kept (AdminJS may add its own).
 * `keys` must be a constant (module level), not an array literal built on each render.
 */
export function useUrlParams<K extends string>(keys: readonly K[]): [Record<K, string>, (patch: Partial<Record<K, string>>) => void] {
  const read = useCallback((): Record<K, string> => {
    const u = new URLSearchParams(window.location.search);
    return Object.fromEntries(keys.map((k) => [k, u.get(k) ?? ''])) as Record<K, string>;
  }, [keys]);
  const [params, setParams] = useState(read);
  const set = useCallback(
    (patch: Partial<Record<K, string>>) => {
      setParams((prev) => {
        const next = { ...prev, ...patch };
        const u = new URLSearchParams();
        for (const k of keys) if (next[k]) u.set(k, next[k]);
        const url = `${window.location.pathname}${u.toString() ? `?${u}` : ''}`;
        if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', url);
        return next;
      });
    },
    [keys],
  );
  useEffect(() => {
    const onPop = (): void => setParams(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [read]);
  return [params, set];
}
