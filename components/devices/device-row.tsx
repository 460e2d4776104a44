import React, { useState } from 'react';
import { api, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { SearchPicker, type PickerOption } from '../shared/search-picker';
import { valueColor } from '../shared/value-colors';
import type { Project } from '../shared/catalog';
import { agoText, devicePath, kindColor, kindLabel, missingText, type ColumnKey, type DeviceListState } from './model';
import { rememberOwner, toPage, type DeviceSummary as Device, type Owner } from './wire';

/** Owners matching a text, a few at a time (the quick-assign picker and the forms). */
export async function searchOwners(q: string, signal: AbortSignal): Promise<PickerOption[]> {
  const { data, headers } = await api.getWithHeaders<unknown>(`/owners${qs({ q, limit: 10 })}`, signal);
  return toPage<Owner>(data, headers).items.map((o) => (rememberOwner(o.id, o.full_name), { id: o.id, label: o.full_name, hint: o.email }));
}

const dash = <span className="ipk-muted">—</span>;

/** Power state as a coloured dot and its word. */
export const Power: React.FC<{ state: string | null }> = ({ state }) =>
  state ? (
    <span className="dvw-power">
      <span className={`dvw-dot ${state.toLowerCase()}`} aria-hidden="true" />
      {state}
    </span>
  ) : (
    dash
  );

/**
 * "Assign technical owner" from the list: the cell turns into an owner search; picking one
 * saves at once (PATCH /devices/{id}), Esc or × gives the cell back unchanged.
 */
const OwnerCell: React.FC<{ device: Device; name: string | undefined; canWrite: boolean; onAssigned: (owner: PickerOption | null) => void }> = ({ device, name, canWrite, onAssigned }) => {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const current = device.technical_owner_id ? { id: device.technical_owner_id, full_name: name ?? '…' } : null;
  const save = async (o: PickerOption | null): Promise<void> => {
    setError('');
    try {
      await api.patch(`/devices/${device.id}`, { technical_owner_id: o ? o.id : null });
      setEditing(false);
      onAssigned(o);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (editing)
    return (
      <div
        className="dvw-owner"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setEditing(false);
          }
        }}
        data-testid="owner-editor"
      >
        <SearchPicker value={current ? { id: current.id, label: current.full_name } : null} onChange={(o) => void save(o)} search={searchOwners} placeholder="Search owners…" clearLabel="Remove technical owner" testId="owner-picker" />
        <button type="button" className="ipk-x" aria-label="Cancel" onClick={() => setEditing(false)}>
          ×
        </button>
        {error ? <span className="ipk-err">{error}</span> : null}
      </div>
    );
  return (
    <div className="dvw-owner">
      {current ? <span title={current.full_name}>{current.full_name}</span> : dash}
      {canWrite ? (
        <button type="button" className="ipk-btn ipk-btn-link ipk-btn-sm" onClick={() => setEditing(true)} aria-label={`Assign technical owner of ${device.name}`} data-testid="assign-owner">
          {current ? 'Change' : 'Assign'}
        </button>
      ) : null}
    </div>
  );
};

type Props = {
  device: Device;
  cols: ColumnKey[];
  canWrite: boolean;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  filter: (patch: Partial<DeviceListState>) => void;
  filters: DeviceListState['filters'];
  project: Project | undefined;
  ownerName: (id: number | null) => string | undefined;
  onOwnerAssigned: (owner: PickerOption | null) => void;
};

/** One device of the list; its chips filter the list by their value. */
export const DeviceListRow: React.FC<Props> = ({ device: d, cols, canWrite, selected, onSelect, filter, filters, project, ownerName, onOwnerAssigned }) => {
  const by = (key: keyof DeviceListState['filters'], value: string | null): void => {
    if (value) filter({ filters: { ...filters, [key]: value } });
  };
  const cell = (key: ColumnKey): React.ReactNode => {
    switch (key) {
      case 'name':
        return (
          <td key={key} className="dvw-name" title={d.name}>
            <a href={devicePath(d.id)}>{d.name}</a>
            {d.archived ? <span className="ipw-badge">archived</span> : null}
            {d.missing_since && !d.archived ? <span className="ipw-badge" title={missingText(d) ?? ''}>missing</span> : null}
          </td>
        );
      case 'kind':
        return <td key={key}><Chip label={kindLabel(d.kind)} color={kindColor(d.kind)} onClick={() => filter({ kind: d.kind })} title={`Filter by kind ${kindLabel(d.kind)}`} /></td>;
      case 'platform':
        return <td key={key}>{d.platform ? <Chip label={d.platform} color={valueColor(d.platform)} onClick={() => by('platform', d.platform)} /> : dash}</td>;
      case 'serial':
        return <td key={key} className="ipk-mono" title={d.serial ?? ''}>{d.serial ?? dash}</td>;
      case 'asset_tag':
        return <td key={key} className="ipk-mono">{d.asset_tag ?? dash}</td>;
      case 'macs':
        return <td key={key} className="ipk-mono" title={d.macs.join(', ')}>{d.macs.length ? `${d.macs[0]}${d.macs.length > 1 ? ` +${d.macs.length - 1}` : ''}` : dash}</td>;
      case 'os': {
        const os = [d.os_type ?? d.os_family, d.os_version ?? d.firmware_version].filter(Boolean).join(' ');
        return <td key={key} title={os}>{os || dash}</td>;
      }
      case 'power_state':
        return <td key={key}><Power state={d.power_state} /></td>;
      case 'cpu_mem':
        return <td key={key} className="ipk-num">{d.vcpus !== null || d.memory_mb !== null ? `${d.vcpus ?? '—'} / ${d.memory_mb !== null ? `${Math.round(d.memory_mb / 1024)} GB` : '—'}` : dash}</td>;
      case 'location':
        return <td key={key} title={[d.room_location, d.sub_location].filter(Boolean).join(' / ')}>{d.room_location ? <button type="button" className="ipk-btn-link ipk-btn" style={{ padding: 0 }} onClick={() => by('room_location', d.room_location)} title={`Filter by room ${d.room_location}`}>{[d.room_location, d.sub_location].filter(Boolean).join(' / ')}</button> : dash}</td>;
      case 'project':
        return <td key={key}>{project ? <Chip label={project.name} color={project.color} onClick={() => by('project_id', String(project.id))} /> : d.project_id ? `#${d.project_id}` : dash}</td>;
      case 'environment':
        return <td key={key}>{d.environment ?? dash}</td>;
      case 'technical_owner':
        return (
          <td key={key} className="dvw-owner-cell">
            <OwnerCell device={d} name={ownerName(d.technical_owner_id)} canWrite={canWrite} onAssigned={onOwnerAssigned} />
          </td>
        );
      case 'business_owner':
        return <td key={key}>{d.business_owner_id ? ownerName(d.business_owner_id) ?? '…' : dash}</td>;
      case 'tags':
        return (
          <td key={key}>
            {d.tags.length
              ? d.tags.map((t) => <Chip key={t} label={t} color={valueColor(t)} onClick={() => by('tag', t)} />)
              : dash}
          </td>
        );
      case 'sources':
        return <td key={key}>{d.sources.length ? d.sources.map((src) => <Chip key={src} label={src} onClick={() => by('source', src)} />) : dash}</td>;
      case 'last_seen':
        return <td key={key} title={d.last_seen_at ?? 'never'}>{d.last_seen_at ? agoText(d.last_seen_at) : <span className="ipk-muted">never</span>}</td>;
    }
  };
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid={`device-row-${d.name}`}>
      {canWrite ? (
        <td>
          <input type="checkbox" aria-label={`Select ${d.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
      ) : null}
      {cols.map(cell)}
    </tr>
  );
};
