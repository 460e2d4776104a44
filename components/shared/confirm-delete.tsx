import React, { useEffect, useState } from 'react';
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

export default ConfirmDelete;
