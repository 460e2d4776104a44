import React, { useState } from 'react';
import type { Project } from '../shared/catalog';
import { Chip } from '../shared/chip';
import { SearchPicker } from '../shared/search-picker';
import { searchOwners } from './device-row';
import { COLUMNS, FILTERS, KIND_CHIPS, type ColumnKey, type DeviceListState, type FilterKey, type FilterSpec } from './model';
import { rememberOwner } from './wire';

type Update = (patch: Partial<DeviceListState>) => void;

/** LAIM's category chips: one kind at a time, "All" clears it. */
export const KindChips: React.FC<{ kind: string; update: Update; counts?: Record<string, number> | null }> = ({ kind, update, counts }) => (
  <div className="dvw-kinds" role="group" aria-label="Kind" data-testid="kind-chips">
    {[{ kind: '', label: 'All' }, ...KIND_CHIPS].map((k) => (
      <button
        key={k.kind || 'all'}
        type="button"
        className="dvw-kind"
        aria-pressed={kind === k.kind}
        onClick={() => update({ kind: k.kind })}
        data-testid={`kind-${k.kind || 'all'}`}
      >
        {k.label}
        {counts && k.kind && counts[k.kind] !== undefined ? <span className="dvw-kind-n">{counts[k.kind]!.toLocaleString('en-US')}</span> : null}
      </button>
    ))}
  </div>
);

/**
 * Every filter is a chip while set (× removes it); "+ Filter" picks one more and its value.
 * The chips are the URL's parameters, so what is shown is what is exported.
 */
type ChipsProps = { state: DeviceListState; update: Update; onClear: () => void; filtered: boolean; projects: Map<number, Project>; ownerName: (id: number) => string | undefined };

export const FilterChips: React.FC<ChipsProps> = ({ state, update, onClear, filtered, projects, ownerName }) => {
  const [adding, setAdding] = useState<FilterKey | ''>('');
  const [value, setValue] = useState('');
  const spec = FILTERS.find((f) => f.key === adding);
  const set = (key: FilterKey, v: string): void => {
    const next = { ...state.filters };
    if (v.trim()) next[key] = v.trim();
    else delete next[key];
    update({ filters: next });
  };
  const apply = (): void => {
    if (adding && value.trim()) set(adding, value);
    setAdding('');
    setValue('');
  };
  const active = FILTERS.filter((f) => state.filters[f.key]);
  // A picked record shows by its name, not its id.
  const shown = (f: FilterSpec): string => {
    const v = state.filters[f.key]!;
    if (f.pick === 'project') return projects.get(Number(v))?.name ?? `#${v}`;
    if (f.pick === 'owner') return ownerName(Number(v)) ?? `#${v}`;
    return v;
  };
  return (
    <div className="dvw-filters" data-testid="filter-chips">
      {active.map((f) => (
        <Chip key={f.key} label={`${f.label}: ${shown(f)}`} color="#e0e7ff" textColor="#1e1b4b" onRemove={() => set(f.key, '')} removeLabel={`Remove filter ${f.label}`} testId={`filter-chip-${f.key}`} />
      ))}
      {state.archived ? <Chip label="Archived only" color="#f1f5f9" onRemove={() => update({ archived: false })} removeLabel="Remove filter archived" testId="filter-chip-archived" /> : null}
      <form
        className="dvw-addfilter"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <select className="ipk-select" aria-label="Add a filter" value={adding} onChange={(e) => (setAdding(e.target.value as FilterKey | ''), setValue(''))} data-testid="add-filter">
          <option value="">+ Filter…</option>
          {FILTERS.filter((f) => !state.filters[f.key]).map((f) => (
            <option key={f.key} value={f.key}>
              {f.label}
            </option>
          ))}
        </select>
        {spec?.options || spec?.pick === 'project' ? (
          <select className="ipk-select" aria-label={spec.label} value={value} onChange={(e) => (set(spec.key, e.target.value), setAdding(''), setValue(''))} data-testid="filter-value">
            <option value="">Choose…</option>
            {(spec.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
            {spec.pick === 'project'
              ? [...projects.values()].map((p) => (
                  <option key={p.id} value={String(p.id)}>
                    {p.name}
                  </option>
                ))
              : null}
          </select>
        ) : spec?.pick === 'owner' ? (
          <div style={{ width: 220 }}>
            <SearchPicker value={null} onChange={(o) => (o ? (rememberOwner(o.id, o.label), set('owner_id', String(o.id))) : undefined, setAdding(''))} search={searchOwners} placeholder="Search owners…" testId="filter-owner" />
          </div>
        ) : spec ? (
          <>
            <input className="ipk-input dvw-filter-input" aria-label={spec.label} placeholder={spec.label} value={value} onChange={(e) => setValue(e.target.value)} autoFocus data-testid="filter-value" />
            <button type="submit" className="ipk-btn ipk-btn-sm" data-testid="filter-apply">
              Apply
            </button>
          </>
        ) : null}
      </form>
      <label className="ipk-check dvw-archived">
        <input type="checkbox" checked={state.archived} onChange={(e) => update({ archived: e.target.checked })} data-testid="filter-archived" />
        <span>Archived only</span>
      </label>
      {filtered ? (
        <button type="button" className="ipk-btn ipk-btn-link" onClick={onClear} data-testid="clear-filters">
          Clear filters
        </button>
      ) : null}
    </div>
  );
};

/** Which columns the list shows (kept in the URL with the filters). */
export const ColumnPicker: React.FC<{ cols: ColumnKey[]; onChange: (cols: ColumnKey[]) => void }> = ({ cols, onChange }) => {
  const [open, setOpen] = useState(false);
  return (
    <div className="dvw-cols">
      <button type="button" className="ipk-btn ipk-btn-sm" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="columns-button">
        Columns ▾
      </button>
      {open ? (
        <div
          className="ipk-pop dvw-cols-pop"
          role="group"
          aria-label="Columns"
          data-testid="columns-menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          {COLUMNS.map((c) => (
            <label key={c.key} className="ipk-check">
              <input
                type="checkbox"
                checked={cols.includes(c.key)}
                disabled={c.fixed}
                onChange={(e) => onChange(COLUMNS.map((x) => x.key).filter((k) => (k === c.key ? e.target.checked : cols.includes(k))))}
                data-testid={`col-${c.key}`}
              />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
      ) : null}
    </div>
  );
};
