import React from 'react';
import { ASSET_TYPES } from '../../src/domain/asset-types';
import type { Catalog } from '../shared/catalog';
import { TagPicker } from '../shared/tag-picker';
import { NOT_SEEN_DAYS, type ListState } from './model';

type Props = { state: ListState; catalog: Catalog; tagOptions: { name: string; color?: string | null }[]; filtered: boolean; update: (patch: Partial<ListState>) => void; onClear: () => void };

/** The list's filters beside the search box: project, type, assignment, last seen, archived, tags and how they match. */
export const ListFilters: React.FC<Props> = ({ state, catalog, tagOptions, filtered, update, onClear }) => (
  <>
    <select className="ipk-select" aria-label="Project" value={state.project} onChange={(e) => update({ project: e.target.value })} data-testid="filter-project">
      <option value="">All projects</option>
      <option value="unassigned">Unassigned</option>
      {catalog.projects.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
    <select className="ipk-select" aria-label="Type" value={state.type} onChange={(e) => update({ type: e.target.value })} data-testid="filter-type">
      <option value="">All types</option>
      {ASSET_TYPES.map((t) => (
        <option key={t}>{t}</option>
      ))}
    </select>
    <select className="ipk-select" aria-label="Assignment" value={state.assignment} onChange={(e) => update({ assignment: e.target.value })} data-testid="filter-assignment">
      <option value="">Any assignment</option>
      <option value="unassigned">Unassigned only</option>
    </select>
    <select className="ipk-select" aria-label="Last seen" value={state.seen} onChange={(e) => update({ seen: e.target.value })} data-testid="filter-seen">
      <option value="">Seen any time</option>
      {[...new Set([...NOT_SEEN_DAYS.map(String), ...(state.seen ? [state.seen] : [])])].map((d) => (
        <option key={d} value={d}>
          Not seen for {d} day{d === '1' ? '' : 's'}
        </option>
      ))}
    </select>
    <label className="ipk-check ipw-archived">
      <input type="checkbox" checked={state.archived} onChange={(e) => update({ archived: e.target.checked })} data-testid="filter-archived" />
      <span>Archived only</span>
    </label>
    <div className="ipw-tags">
      <TagPicker value={state.tags} onChange={(tags) => update({ tags })} options={tagOptions} placeholder="Filter by tags…" testId="filter-tags" />
      <select className="ipk-select" aria-label="Tag match" value={state.match} onChange={(e) => update({ match: e.target.value as ListState['match'] })} data-testid="filter-match">
        <option value="any">any</option>
        <option value="all">all</option>
        <option value="not">not</option>
      </select>
    </div>
    {filtered ? (
      <button type="button" className="ipk-btn ipk-btn-link" onClick={onClear}>
        Clear filters
      </button>
    ) : null}
  </>
);
