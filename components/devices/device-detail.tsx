import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspaceStyles } from '../ip-assets/styles';
import { api, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { Notice } from '../shared/drawer';
import { SuperuserBanner, useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { AUDIT_ACTION_COLORS, valueColor } from '../shared/value-colors';
import { loadCatalog, type Project } from '../shared/catalog';
import { ChangeTable } from './change-table';
import { DeviceEditDrawer } from './edit-drawer';
import { FactsTab, show } from './facts-tab';
import { SourcesCard } from './sources-card';
import { Power } from './device-row';
import { DEVICES_PATH, kindColor, kindLabel, missingText } from './model';
import { useDeviceStyles } from './styles';
import type { DeviceChange, DeviceDetail } from './wire';

type AuditEntry = { id: number; username: string | null; action: string; changes: string | null; created_at: string };
type Tab = 'overview' | 'facts' | 'ips' | 'history' | 'audit';
const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'facts', label: 'Facts and overrides' },
  { id: 'ips', label: 'IPs' },
  { id: 'history', label: 'History' },
  { id: 'audit', label: 'Audit' },
];
const tabOfHash = (): Tab => (TABS.find((t) => `#${t.id}` === window.location.hash)?.id ?? 'overview');

/** Tabs as the ARIA pattern has them: arrows move between tabs, the tab is in the URL's hash. */
const TabList: React.FC<{ tab: Tab; onChange: (t: Tab) => void }> = ({ tab, onChange }) => {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (i: number): void => {
    const t = TABS[(i + TABS.length) % TABS.length]!;
    onChange(t.id);
    refs.current[(i + TABS.length) % TABS.length]?.focus();
  };
  const at = TABS.findIndex((t) => t.id === tab);
  return (
    <div className="dvw-tabs" role="tablist" aria-label="Device">
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === tab}
          aria-controls={`panel-${t.id}`}
          tabIndex={t.id === tab ? 0 : -1}
          className="dvw-tab"
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(at + 1);
            else if (e.key === 'ArrowLeft') move(at - 1);
            else if (e.key === 'Home') move(0);
            else if (e.key === 'End') move(TABS.length - 1);
            else return;
            e.preventDefault();
          }}
          data-testid={`tab-${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
};

const Kv: React.FC<{ rows: [string, React.ReactNode][] }> = ({ rows }) => (
  <dl className="ipw-kv">
    {rows.map(([k, v]) => (
      <React.Fragment key={k}>
        <dt>{k}</dt>
        <dd>{v === null || v === undefined || v === '' ? <span className="ipk-muted">—</span> : v}</dd>
      </React.Fragment>
    ))}
  </dl>
);

const Overview: React.FC<{ detail: DeviceDetail; project: Project | undefined }> = ({ detail: d, project }) => {
  const custom = Object.entries(d.custom_fields);
  const when = (a: string | null, b: string | null, empty: string): string | null => (a || b ? `${a?.slice(0, 16) ?? '—'} / ${b?.slice(0, 16) ?? empty}` : null);
  return (
    <div className="ipw-grid" data-testid="overview-tab">
      <div className="ipw-card">
        <h2>Identity and hardware</h2>
        <Kv
          rows={[
            ['Kind', kindLabel(d.kind)],
            ['Platform', d.platform],
            ['Hostname', d.hostname],
            ['Serial', d.serial ? <span className="ipk-mono">{d.serial}</span> : null],
            ['Asset tag', d.asset_tag],
            ['UUID', d.uuid ? <span className="ipk-mono">{d.uuid}</span> : null],
            ['MAC addresses', d.macs.length ? <span className="ipk-mono">{d.macs.join(', ')}</span> : null],
            ['Model', [d.vendor, d.model].filter(Boolean).join(' ') || null],
            ['OS', [d.os_type ?? d.os_family, d.os_version ?? d.firmware_version].filter(Boolean).join(' ') || null],
            ['Power', d.power_state ? <Power state={d.power_state} /> : null],
            ['CPU', d.vcpus !== null ? `${d.vcpus} vCPU${d.sockets ? ` (${d.sockets} × ${d.cores_per_socket ?? '?'} cores)` : ''}` : null],
            ['Memory', d.memory_mb !== null ? `${d.memory_mb.toLocaleString('en-US')} MB` : null],
            ['Disks', d.disks.length ? `${d.disks.length} · ${d.disk_total_gb ?? d.disks.reduce((t, x) => t + (x.size_gb ?? 0), 0)} GB (${d.disks.map((x) => [x.label, x.size_gb !== null ? `${x.size_gb} GB` : null, x.storage].filter(Boolean).join(' ')).join('; ')})` : null],
            ['NICs', d.nics.length ? d.nics.map((n) => [n.mac, n.network_name, n.vlan ? `VLAN ${n.vlan}` : null, n.connected === false ? 'disconnected' : null].filter(Boolean).join(' ')).join('; ') : null],
            ['Cluster', d.cluster],
            ['Runs on', d.hypervisor_device_id ? <a href={`${DEVICES_PATH}/records/${d.hypervisor_device_id}/show`}>{d.hypervisor ?? `device #${d.hypervisor_device_id}`}</a> : d.hypervisor],
          ]}
        />
      </div>
      <div className="ipw-card">
        <h2>Place, owners and use</h2>
        <Kv
          rows={[
            ['Room', d.room_location],
            ['Sub-location', d.sub_location],
            ['Project', project ? <Chip label={project.name} color={project.color} /> : d.project_id ? `#${d.project_id}` : null],
            ['Environment', d.environment],
            ['Technical owner', d.technical_owner ? `${d.technical_owner.full_name} <${d.technical_owner.email}>` : null],
            ['Business owner', d.business_owner ? `${d.business_owner.full_name} <${d.business_owner.email}>` : null],
            ['Tags', d.tags.length ? d.tags.map((t) => <Chip key={t} label={t} color={valueColor(t)} />) : null],
            ['Notes', d.notes],
            ...custom.map(([k, v]) => [k, show(v)] as [string, React.ReactNode]),
            ['Sources', d.sources.length ? d.sources.join(', ') : null],
            ['First / last seen', when(d.first_seen_at, d.last_seen_at, 'never')],
            ...(d.missing_since ? ([['Missing', <span key="missing" data-testid="missing-state">{missingText(d)}</span>]] as [string, React.ReactNode][]) : []),
            ['Created / updated', when(d.created_at, d.updated_at, '—')],
            ...(d.archived ? ([['Archived', `${d.archived_at?.slice(0, 16) ?? ''} by ${d.archived_by ?? '—'}: ${d.archive_reason ?? ''}`]] as [string, React.ReactNode][]) : []),
          ]}
        />
      </div>
      <SourcesCard detail={d} />
    </div>
  );
};

const IpsTab: React.FC<{ detail: DeviceDetail }> = ({ detail }) => {
  const linked = new Map(detail.ip_assets.map((a) => [a.ip_address, a.type]));
  const rows = [...detail.ips.map((ip) => ({ ...ip, type: linked.get(ip.ip_address) ?? null })), ...detail.ip_assets.filter((a) => !detail.ips.some((ip) => ip.ip_address === a.ip_address)).map((a) => ({ ip_address: a.ip_address, source: 'ipocket', label: null, is_primary: false, type: a.type }))];
  return (
    <div className="ipw-card" data-testid="ips-tab">
      <h2>IP addresses</h2>
      {rows.length === 0 ? <p className="ipk-muted">No IP address on this device.</p> : null}
      {rows.length ? (
        <table className="dvw-facts">
          <thead>
            <tr>
              <th>Address</th>
              <th>From</th>
              <th>IP asset</th>
              <th>Label</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((ip) => (
              <tr key={`${ip.ip_address}-${ip.source}`} data-testid={`ip-${ip.ip_address}`}>
                <td className="ipk-mono">
                  {ip.ip_address}
                  {ip.is_primary ? <span className="ipw-badge">primary</span> : null}
                </td>
                <td>{ip.source === 'manual' ? <Chip label="manual (kept across syncs)" color="#fef3c7" /> : <Chip label={ip.source} color="#e0e7ff" />}</td>
                <td>{ip.type ? <a href={`/ui/resources/ip_assets?q=${encodeURIComponent(ip.ip_address)}`}>{ip.type}</a> : <span className="ipk-muted">—</span>}</td>
                <td>{ip.label ?? <span className="ipk-muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
};

const HistoryTab: React.FC<{ history: DeviceChange[] | null; device: DeviceDetail }> = ({ history, device }) => (
  <div className="ipw-card" data-testid="history-tab">
    <h2>Change history</h2>
    <p className="ipk-hint" style={{ marginTop: -6 }}>
      The newest 50 changes.{' '}
      <a href={`/ui/pages/device-changes${qs({ device_id: device.id, device: device.name })}`} data-testid="all-changes">
        Every change of this device, with filters
      </a>
    </p>
    {history === null ? <p className="ipk-muted">Loading…</p> : null}
    {history && history.length === 0 ? <p className="ipk-muted">No change recorded yet.</p> : null}
    {history && history.length ? <ChangeTable rows={history} /> : null}
  </div>
);

const AuditTab: React.FC<{ entries: AuditEntry[] | null }> = ({ entries }) => (
  <div className="ipw-card" data-testid="audit-tab">
    <h2>Audit</h2>
    {entries === null ? <p className="ipk-muted">Loading…</p> : null}
    {entries && entries.length === 0 ? <p className="ipk-muted">No audit entry for this device.</p> : null}
    {entries && entries.length ? (
      <table className="ipw-audit">
        <tbody>
          {entries.map((a) => (
            <tr key={a.id} data-testid="audit-row">
              <td style={{ whiteSpace: 'nowrap', color: '#64748b' }}>{a.created_at}</td>
              <td>
                <Chip label={a.action} color={AUDIT_ACTION_COLORS[a.action]} />
              </td>
              <td>{a.username ?? 'system'}</td>
              <td>{a.changes ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
  </div>
);

type Props = { record?: { params: Record<string, unknown> } };

/** The device page: header, tabs Overview / Facts and overrides / IPs / History / Audit; editors edit manual fields and overrides. */
const DeviceDetailPage: React.FC<Props> = ({ record }) => {
  useIpkStyles();
  useWorkspaceStyles();
  useDeviceStyles();
  const { role, canWrite } = useRole();
  const id = Number(record?.params.id ?? window.location.pathname.match(/records\/(\d+)/)?.[1]);
  const [detail, setDetail] = useState<DeviceDetail | null>(null);
  const [history, setHistory] = useState<DeviceChange[] | null>(null);
  const [projects, setProjects] = useState<Project[]>([]);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [tab, setTabRaw] = useState<Tab>(tabOfHash);
  const [editing, setEditing] = useState(false);
  const setTab = (t: Tab): void => {
    setTabRaw(t);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${t}`);
  };
  const load = useCallback(async () => {
    try {
      const d = await api.get<DeviceDetail & { history?: { items: DeviceChange[] } }>(`/devices/${id}`);
      setDetail(d);
      setHistory(d.history?.items ?? []);
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    const [a, c] = await Promise.all([
      // A device is a host: its audit trail is the host's.
      api.get<AuditEntry[]>(`/audit${qs({ target_type: 'HOST', target_id: id, limit: 100 })}`).catch(() => []),
      loadCatalog().catch(() => null),
    ]);
    setAudit(a);
    if (c) setProjects(c.projects);
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const saved = (message: string): void => {
    setEditing(false);
    // Said once the page shows the saved device, in the same update as its reloaded facts.
    void load()
      .catch(() => undefined)
      .then(() => setNotice(message));
  };
  const d = detail;
  return (
    <div className="ipw" data-testid="device-detail">
      <div style={{ marginBottom: 6 }}>
        <a href={DEVICES_PATH} className="ipk-btn ipk-btn-link" style={{ paddingLeft: 0 }}>
          ‹ Devices
        </a>
      </div>
      <div className="ipw-head">
        <div>
          <h1 data-testid="device-name">{d?.name ?? (error ? 'Device' : 'Loading…')}</h1>
          {d ? (
            <div className="ipw-chips" data-testid="header-chips">
              <Chip label={kindLabel(d.kind)} color={kindColor(d.kind)} />
              {d.platform ? <Chip label={d.platform} /> : null}
              {d.power_state ? <Power state={d.power_state} /> : null}
              {d.archived ? <span className="ipw-badge">archived</span> : null}
              {d.missing_since && !d.archived ? <span className="ipw-badge" title={missingText(d) ?? ''}>missing</span> : null}
            </div>
          ) : null}
        </div>
        {canWrite && d ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setEditing(true)} data-testid="edit-device">
            Edit
          </button>
        ) : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice || null} />
      {error ? <div className="ipk-warn">{error}</div> : null}
      <TabList tab={tab} onChange={setTab} />
      {detail ? (
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'overview' ? <Overview detail={detail} project={projects.find((p) => p.id === detail.project_id)} /> : null}
          {tab === 'facts' ? <FactsTab detail={detail} canWrite={canWrite} onSaved={saved} /> : null}
          {tab === 'ips' ? <IpsTab detail={detail} /> : null}
          {tab === 'history' ? <HistoryTab history={history} device={detail} /> : null}
          {tab === 'audit' ? <AuditTab entries={audit} /> : null}
        </div>
      ) : null}
      {editing && detail ? <DeviceEditDrawer device={detail} projects={projects} onClose={() => setEditing(false)} onSaved={saved} /> : null}
    </div>
  );
};

export default DeviceDetailPage;
