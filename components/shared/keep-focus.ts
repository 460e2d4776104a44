import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Keeps a keyboard user's place through an action that disables the control that started it
 * (the page is busy) or removes it (its row was resolved, added or archived). Without it focus
 * falls to <body> and the next Tab starts again at the top of the page. `hold()` when the action
 * starts, `release()` in the same state update that shows the outcome (the reloaded rows and the
 * status line): focus moves in that very commit (a layout effect), so there is no moment where
 * the page says what happened while focus sits on <body>. It goes back to the control when it is
 * still there and enabled, else to the page's error or status line, which says what happened (Tab
 * goes on from there). Focus the user has moved elsewhere meanwhile is left alone.
 */
export function useKeepFocus(root: RefObject<HTMLElement | null>): { hold: () => void; release: () => void } {
  const held = useRef<HTMLElement | null>(null);
  const [released, setReleased] = useState(0);
  const hold = useCallback(() => {
    const el = document.activeElement;
    held.current = el instanceof HTMLElement && root.current?.contains(el) ? el : null;
  }, [root]);
  const release = useCallback(() => {
    if (held.current) setReleased((n) => n + 1);
  }, []);
  useLayoutEffect(() => {
    const el = held.current;
    held.current = null;
    if (!el) return;
    const now = document.activeElement;
    if (now && now !== document.body && now !== el && now.isConnected) return;
    if (el.isConnected && !(el as HTMLButtonElement).disabled) return el.focus();
    const line = root.current?.querySelector<HTMLElement>('[role="alert"], [role="status"]');
    if (!line) return;
    line.tabIndex = -1;
    line.focus();
  }, [released, root]);
  return { hold, release };
}
