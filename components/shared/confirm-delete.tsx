import React, { useEffect, useState } from 'react';
import { api } from './api';
import { Drawer } from './drawer';
import { useIpkStyles } from './styles';

export type ConfirmDeleteProps = {
  /** Label/value pairs of what will be deleted (IP, project, type, host…). */
  summary: [string, React.ReactNode][];
  /** For high-risk deletes: this exact text must be typed first. */
  confirmText?: string | null;
  /** Why the exact text is asked for (shown above the input). */
  riskReason?: string;
  acknowledgement?: string;
  /** Tells the parent whether "Delete permanently" may be enabled. */
  onReadyChange: (ready: boolean) => void;
};

/** The destructive confirmation block shared by every delete drawer. */
export const ConfirmDelete: React.FC<ConfirmDeleteProps> = ({ summary, confirmText, riskReason, acknowledgement = 'I understand this cannot be undone.', onReadyChange }) => {
  useIpkStyles();
  const [ack, setAck] = useState(false);
  const [typed, setTyped] = useState('');
  const ready = ack && (!confirmText || typed.trim() === confirmText);
  useEffect(() => onReadyChange(ready), [ready, onReadyChange]);
  return (
    <div data-testid="confirm-delete">
      <dl className="ipk-summary">
        {summary.map(([k, v]) => (
          <React.Fragment key={k}>
            <dt>{k}</dt>
            <dd>{v ?? <span className="ipk-muted">—</span>}</dd>
          </React.Fragment>
        ))}
      </dl>
      {confirmText ? <div className="ipk-warn">{riskReason ?? 'This is a high-risk delete.'} Type <strong>{confirmText}</strong> to confirm.</div> : null}
      <label className="ipk-check">
        <input type="checkbox" checked={ack} onChange={(e) => setAck(e.target.checked)} data-testid="delete-ack" />
        <span>{acknowledgement}</span>
      </label>
      {confirmText ? (
        <div className="ipk-field">
          <label htmlFor="ipk-confirm-text">Type {confirmText} to confirm</label>
          <input id="ipk-confirm-text" className="ipk-input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" placeholder={confirmText} data-testid="delete-confirm-text" />
        </div>
      ) : null}
    </div>
  );
};

/**
 * Footer of a delete drawer: Cancel, an optional gentler action (Archive), and "Delete
 * permanently", enabled once the confirmation is complete.
 */
export const DeleteFooter: React.FC<{ ready: boolean; busy?: boolean; onCancel: () => void; onDelete: () => void; secondary?: { label: string; onClick: () => void } }> = ({ ready, busy = false, onCancel, onDelete, secondary }) => (
  <>
    <button type="button" className="ipk-btn" onClick={onCancel}>
      Cancel
    </button>
    {secondary ? (
      <button type="button" className="ipk-btn" disabled={busy} onClick={secondary.onClick} data-testid="delete-secondary">
        {secondary.label}
      </button>
    ) : null}
    <button type="button" className="ipk-btn ipk-btn-danger" disabled={!ready || busy} onClick={onDelete} data-testid="delete-confirm">
      Delete permanently
    </button>
  </>
);

/** The last cell of a table row for users who may write: Edit / Delete; nothing for readers. */
export const RowActionsCell: React.FC<{ canWrite: boolean; name?: string; style?: React.CSSProperties; onEdit: () => void; onDelete: () => void }> = ({ canWrite, name, style, onEdit, onDelete }) =>
  canWrite ? (
    <td className="ipk-actions" style={{ ...style, whiteSpace: 'nowrap' }}>
      <RowActions name={name} onEdit={onEdit} onDelete={onDelete} />
    </td>
  ) : null;

/** The Edit / Delete buttons of a table row; `name` makes them "Edit 10.0.0.1" to a screen reader. */
export const RowActions: React.FC<{ name?: string; onEdit: () => void; onDelete: () => void }> = ({ name, onEdit, onDelete }) => (
  <>
    <button type="button" className="ipk-btn ipk-btn-sm" onClick={onEdit} aria-label={name ? `Edit ${name}` : undefined}>
      Edit
    </button>{' '}
    <button type="button" className="ipk-btn ipk-btn-sm" style={{ color: '#b91c1c' }} onClick={onDelete} aria-label={name ? `Delete ${name}` : undefined}>
      Delete
    </button>
  </>
);

export type RecordDeleteDrawerProps = Omit<ConfirmDeleteProps, 'onReadyChange'> & {
  title: string;
  subtitle?: string;
  testId: string;
  /** The API path to DELETE. */
  path: string;
  /** The toast shown once the server has deleted it. */
  doneMessage: string;
  /** A gentler action offered beside the delete (an IP's Archive): its label, request and toast. */
  secondary?: { label: string; run: () => Promise<unknown>; doneMessage: string };
  onClose: () => void;
  onDone: (message: string) => void;
};

/**
 * The one delete confirmation of the panel (IPs, hosts, ranges, projects, tags, vendors):
 * what goes, the acknowledgement (and the typed name for risky deletes), one DELETE while the
 * button is disabled, and the server's refusal shown in place.
 */
export const RecordDeleteDrawer: React.FC<RecordDeleteDrawerProps> = ({ title, subtitle, testId, path, doneMessage, secondary, onClose, onDone, ...confirm }) => {
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<unknown>, message: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await request();
      onDone(message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      title={title}
      subtitle={subtitle}
      onClose={onClose}
      testId={testId}
      footer={<DeleteFooter ready={ready} busy={busy} onCancel={onClose} onDelete={() => void run(() => api.del(path), doneMessage)} secondary={secondary ? { label: secondary.label, onClick: () => void run(secondary.run, secondary.doneMessage) } : undefined} />}
    >
      {error ? (
        <div className="ipk-warn" role="alert">
          {error}
        </div>
      ) : null}
      <ConfirmDelete {...confirm} onReadyChange={setReady} />
    </Drawer>
  );
};

export default ConfirmDelete;
