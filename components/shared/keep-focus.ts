import { useCallback, useRef, type RefObject } from 'react';

/**
 * Keeps a keyboard user's place through an action that disables the control that started it
 * (the page is busy) or removes it (its row was resolved, added or archived). Without it focus
 * falls to <body> and the next Tab starts again at the top of the page. `hold()` when the action
 * starts, `release()` once the page shows the outcome: focus goes back to that control when it is
 * still there and enabled, else to the page's error or status line, which says what happened (Tab
 * goes on from there). Focus the user has moved elsewhere meanwhile is left alone.
 */
export function useKeepFocus(root: RefObject<HTMLElement | null>): { hold: () => void; release: () => void } {
  const held = useRef<HTMLElement | null>(null);
  const hold = useCallback(() => {
    const el = document.activeElement;
    held.current = el instanceof HTMLElement && root.current?.contains(el) ? el : null;
  }, [root]);
  const release = useCallback(() => {
    const el = held.current;
    held.current = null;
    if (!el) return;
    // After React has committed the outcome (the reload's rows, the status line).
    setTimeout(() => {
      const now = document.activeElement;
      if (now && now !== document.body && now !== el && now.isConnected) return;
      if (el.isConnected && !(el as HTMLButtonElement).disabled) return el.focus();
      const line = root.current?.querySelector<HTMLElement>('[role="alert"], [role="status"]');
      if (!line) return;
      line.tabIndex = -1;
      line.focus();
    }, 0);
  }, [root]);
  return { hold, release };
}
