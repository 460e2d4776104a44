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

/** Footer of a delete drawer: Cancel, and "Delete permanently" enabled once the confirmation is complete. */
export const DeleteFooter: React.FC<{ ready: boolean; onCancel: () => void; onDelete: () => void }> = ({ ready, onCancel, onDelete }) => (
  <>
    <button type="button" className="ipk-btn" onClick={onCancel}>
      Cancel
    </button>
    <button type="button" className="ipk-btn ipk-btn-danger" disabled={!ready} onClick={onDelete} data-testid="delete-confirm">
      Delete permanently
    </button>
  </>
);

/** The last cell of a table row for users who may write: Edit / Delete; nothing for readers. */
export const RowActionsCell: React.FC<{ canWrite: boolean; style?: React.CSSProperties; onEdit: () => void; onDelete: () => void }> = ({ canWrite, style, onEdit, onDelete }) =>
  canWrite ? (
    <td style={{ ...style, whiteSpace: 'nowrap' }}>
      <RowActions onEdit={onEdit} onDelete={onDelete} />
    </td>
  ) : null;

/** The Edit / Delete buttons of a table row. */
export const RowActions: React.FC<{ onEdit: () => void; onDelete: () => void }> = ({ onEdit, onDelete }) => (
  <>
    <button type="button" className="ipk-btn ipk-btn-sm" onClick={onEdit}>
      Edit
    </button>{' '}
    <button type="button" className="ipk-btn ipk-btn-sm" style={{ color: '#b91c1c' }} onClick={onDelete}>
      Delete
    </button>
  </>
);

export type RecordDeleteDrawerProps = Omit<ConfirmDeleteProps, 'onReadyChange' | 'acknowledgement'> & {
  title: string;
  subtitle?: string;
  testId: string;
  /** The API path to DELETE. */
  path: string;
  /** The toast shown once the server has deleted it. */
  doneMessage: string;
  onClose: () => void;
  onDone: (message: string) => void;
};

/**
 * The delete drawer of one record (hosts, ranges, projects, tags, vendors): confirmation, one
 * DELETE while the button is disabled, and the server's refusal shown in place.
 */
export const RecordDeleteDrawer: React.FC<RecordDeleteDrawerProps> = ({ title, subtitle, testId, path, doneMessage, onClose, onDone, ...confirm }) => {
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.del(path);
      onDone(doneMessage);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <Drawer open title={title} subtitle={subtitle} onClose={onClose} testId={testId} footer={<DeleteFooter ready={ready && !busy} onCancel={onClose} onDelete={() => void remove()} />}>
      <ConfirmDelete {...confirm} onReadyChange={setReady} />
      {error ? (
        <div className="ipk-err" role="alert">
          {error}
        </div>
      ) : null}
    </Drawer>
  );
};

export default ConfirmDelete;
