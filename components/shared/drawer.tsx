import React, { useEffect, useRef, useState } from 'react';
import { useIpkStyles } from './styles';

export type DrawerProps = {
  open: boolean;
  title: string;
  subtitle?: React.ReactNode;
  onClose: () => void;
  /** Buttons at the bottom (Cancel / Save …). */
  footer?: React.ReactNode;
  children?: React.ReactNode;
  testId?: string;
  /** Called on submit (Enter in a field); the footer's submit buttons use form="…" of this id. */
  onSubmit?: () => void;
  formId?: string;
};

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

/** Where focus goes when the opener is gone (its row was deleted): the list's first control. */
const FALLBACK = '[data-testid=list-shell] input, [data-testid=list-shell] button:not([disabled])';

/**
 * Gives focus back to what opened a drawer. A row's button can vanish a moment later (the list
 * reloads after a delete), which would drop focus on <body>: then the list's search takes it.
 */
function returnFocus(opener: HTMLElement | null): void {
  const fallback = (): void => document.querySelector<HTMLElement>(FALLBACK)?.focus();
  if (!opener?.isConnected) return fallback();
  opener.focus();
  const watch = new MutationObserver(() => {
    if (opener.isConnected) return;
    watch.disconnect();
    if (!document.activeElement || document.activeElement === document.body) fallback();
  });
  watch.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 5000);
}

/**
 * The one right-side drawer shell of every workspace: backdrop click and Esc close it, the
 * first field gets focus, Tab stays inside it (it is modal), closing gives focus back to what
 * opened it, and the page under it keeps its state and scroll position.
 */
export const Drawer: React.FC<DrawerProps> = ({ open, title, subtitle, onClose, footer, children, testId, onSubmit, formId }) => {
  useIpkStyles();
  const panel = useRef<HTMLDivElement>(null);
  // Callers pass inline closures: reading the latest through a ref keeps the effect to open/close only.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    if (!open) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        closeRef.current();
      } else if (e.key === 'Tab' && panel.current) {
        const items = Array.from(panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
        if (!items.length) return;
        const first = items[0]!;
        const last = items[items.length - 1]!;
        const inside = panel.current.contains(document.activeElement);
        if (!inside || (e.shiftKey && document.activeElement === first)) {
          e.preventDefault();
          (e.shiftKey ? last : first).focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    const first = panel.current?.querySelector<HTMLElement>('input:not([type=checkbox]):not([readonly]),select,textarea') ?? panel.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      returnFocus(opener);
    };
  }, [open]);
  if (!open) return null;
  const body = onSubmit ? (
    <form
      id={formId}
      className="ipk-drawer-body"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      noValidate
    >
      {children}
    </form>
  ) : (
    <div className="ipk-drawer-body">{children}</div>
  );
  return (
    <>
      <div className="ipk-backdrop" onClick={onClose} />
      <div className="ipk-drawer" role="dialog" aria-modal="true" aria-label={title} ref={panel} data-testid={testId ?? 'drawer'}>
        <header>
          <div>
            <h2>{title}</h2>
            {subtitle ? <div className="ipk-drawer-sub">{subtitle}</div> : null}
          </div>
          <button type="button" className="ipk-x" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {body}
        {footer ? <footer>{footer}</footer> : null}
      </div>
    </>
  );
};

/** A labelled form field with its inline (server) error. */
export const Field: React.FC<{ label: string; error?: string; hint?: React.ReactNode; children?: React.ReactNode; htmlFor?: string }> = ({ label, error, hint, children, htmlFor }) => (
  <div className="ipk-field">
    <label htmlFor={htmlFor}>{label}</label>
    {children}
    {error ? (
      <div className="ipk-err" role="alert">
        {error}
      </div>
    ) : hint ? (
      <div className="ipk-hint">{hint}</div>
    ) : null}
  </div>
);

/** Footer of a form drawer: Cancel, and the submit button of the drawer's form. */
export const FormFooter: React.FC<{ formId: string; submitLabel: string; disabled?: boolean; onCancel: () => void }> = ({ formId, submitLabel, disabled, onCancel }) => (
  <>
    <button type="button" className="ipk-btn" onClick={onCancel}>
      Cancel
    </button>
    <button type="submit" form={formId} className="ipk-btn ipk-btn-primary" disabled={disabled}>
      {submitLabel}
    </button>
  </>
);

/** The green status line a page shows after a save or delete. */
export const Notice: React.FC<{ message: string | null }> = ({ message }) =>
  message ? (
    <div role="status" data-testid="notice" style={{ background: '#ecfdf5', border: '1px solid #a7f3d0', color: '#065f46', borderRadius: 8, padding: '8px 12px', marginBottom: 12 }}>
      {message}
    </div>
  ) : null;

/**
 * State of a list page with drawers: which drawer is open (`mode`), the status line, and `done`,
 * which a drawer calls after a save or delete: close it, say what happened, reload the list.
 */
export function useDrawerPage<M>(reload: () => unknown): { mode: M | null; setMode: (m: M | null) => void; notice: string | null; setNotice: (m: string | null) => void; done: (message: string) => void } {
  const [mode, setMode] = useState<M | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string): void => {
    setMode(null);
    // The line says what happened once the list shows it (one update), never above stale rows.
    void Promise.resolve()
      .then(reload)
      .catch(() => undefined)
      .then(() => setNotice(message));
  };
  // Opening a drawer starts a new action: the last one's line would otherwise still say "saved"
  // while this one is in flight.
  const open = (m: M | null): void => {
    if (m !== null) setNotice(null);
    setMode(m);
  };
  return { mode, setMode: open, notice, setNotice, done };
}

export default Drawer;
