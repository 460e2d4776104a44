import React from 'react';
import { Address } from '../shared/address';
import type { Asset, Project } from '../shared/catalog';
import { Chip } from '../shared/chip';
import { RowActionsCell } from '../shared/confirm-delete';
import { TagOverflow } from '../shared/tag-overflow';
import { TYPE_COLORS } from '../shared/value-colors';
import { detailPath, lastSeenText, type ListState } from './model';

type Props = {
  asset: Asset;
  project: Project | undefined;
  hostName: string | undefined;
  tagColor: (name: string) => string | null | undefined;
  canWrite: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  /** A chip clicked: filter the list by it. */
  filter: (patch: Partial<ListState>) => void;
  onPickTag: (name: string) => void;
  onRestore: () => void;
  onEdit: () => void;
  onDelete: () => void;
};

/** One address of the list: its chips filter the list; archived rows offer Restore instead of Edit. */
export const IpRow: React.FC<Props> = ({ asset: a, project, hostName, tagColor, canWrite, selected, onSelect, filter, onPickTag, onRestore, onEdit, onDelete }) => (
  <tr className={selected ? 'is-selected' : undefined} data-ip={a.ip_address}>
    {canWrite ? (
      <td>
        <input type="checkbox" aria-label={`Select ${a.ip_address}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      </td>
    ) : null}
    <td className="ipw-ip">
      <a href={detailPath(a.id)} title={`Open ${a.ip_address}`}>
        <Address ip={a.ip_address} />
      </a>
      {a.archived ? <span className="ipw-badge">archived</span> : null}
    </td>
    <td>
      <Chip label={a.type} color={TYPE_COLORS[a.type]} onClick={() => filter({ type: a.type })} title={`Filter by type ${a.type}`} />
    </td>
    <td>
      {project ? (
        <Chip label={project.name} color={project.color} onClick={() => filter({ project: String(project.id) })} title={`Filter by project ${project.name}`} />
      ) : a.project_id ? (
        <span className="ipk-muted">#{a.project_id}</span>
      ) : (
        <button type="button" className="ipw-unassigned" onClick={() => filter({ project: 'unassigned' })} title="Filter unassigned">
          Unassigned
        </button>
      )}
    </td>
    <td className="ipw-ellipsis" title={a.host_id ? hostName : undefined}>
      {a.host_id ? hostName ?? <span className="ipk-muted">…</span> : <span className="ipk-muted">—</span>}
    </td>
    <td className="ipw-tagcell">
      <TagOverflow tags={a.tags.map((name) => ({ name, color: tagColor(name) }))} onPick={onPickTag} />
    </td>
    <td className="ipw-ellipsis ipw-notes" title={a.notes ?? undefined}>
      {a.notes || <span className="ipk-muted">—</span>}
    </td>
    <td className="ipw-ellipsis" title={lastSeenText(a.last_seen_at)} data-testid="last-seen">
      {a.last_seen_at ? a.last_seen_at.slice(0, 10) : <span className="ipk-muted">never</span>}
    </td>
    {canWrite && a.archived ? (
      <td className="ipk-actions">
        <button type="button" className="ipk-btn ipk-btn-sm" onClick={onRestore} aria-label={`Restore ${a.ip_address}`}>
          Restore
        </button>{' '}
        <button type="button" className="ipk-btn ipk-btn-sm" style={{ color: '#b91c1c' }} onClick={onDelete} aria-label={`Delete ${a.ip_address}`}>
          Delete
        </button>
      </td>
    ) : (
      <RowActionsCell canWrite={canWrite} name={a.ip_address} onEdit={onEdit} onDelete={onDelete} />
    )}
  </tr>
);
