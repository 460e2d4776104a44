import React from 'react';

type Props = {
  /** How many are selected (every match when the whole filter is). */
  count: number;
  /** "Select all N matching the filter", when the whole page is selected and more match. */
  selectAllLabel: string | null;
  archived: number;
  onSelectAll: () => void;
  onRestore: () => void;
  onBulkEdit: () => void;
  onClear: () => void;
};

/** The bar over a selection: its size, selecting every match, restoring archived ones, bulk edit. */
export const BulkBar: React.FC<Props> = ({ count, selectAllLabel, archived, onSelectAll, onRestore, onBulkEdit, onClear }) => (
  <div className="ipw-bulkbar" data-testid="bulk-bar">
    <span>
      <strong>{count.toLocaleString('en-US')}</strong> selected
      {selectAllLabel ? (
        <button type="button" className="ipk-btn ipk-btn-link" onClick={onSelectAll} data-testid="select-all-matching">
          {selectAllLabel}
        </button>
      ) : null}
    </span>
    <span style={{ display: 'flex', gap: 8 }}>
      {archived > 0 ? (
        <button type="button" className="ipk-btn ipk-btn-sm" onClick={onRestore} data-testid="bulk-restore">
          Restore {archived.toLocaleString('en-US')}
        </button>
      ) : null}
      <button type="button" className="ipk-btn ipk-btn-sm ipk-btn-primary" onClick={onBulkEdit} data-testid="bulk-edit">
        Bulk edit…
      </button>
      <button type="button" className="ipk-btn ipk-btn-sm" onClick={onClear}>
        Clear selection
      </button>
    </span>
  </div>
);
