import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspaceStyles } from '../ip-assets/styles';
import { api, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { Notice } from '../shared/drawer';
import { SuperuserBanner, useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { AUDIT_ACTION_COLORS, valueColor } from '../shared/value-colors';
import { show, toDetail, type DeviceDetail } from './detail-wire';
import { DeviceEditDrawer } from './edit-drawer';
import { FactsTab } from './facts-tab';
import { Power } from './device-row';
import { DEVICES_PATH, kindLabel } from './model';
import { useDeviceStyles } from './styles';

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

const Overview: React.FC<{ detail: DeviceDetail }> = ({ detail }) => {
  const d = detail.device;
  const custom = Object.entries(detail.custom_fields);
  return (
    <div className="ipw-grid" data-testid="overview-tab">
      <div className="ipw-card">
        <h2>Identity and hardware</h2>
        <Kv
          rows={[
            ['Kind', d.kind ? kindLabel(d.kind) : null],
            ['Platform', d.platform],
            ['Serial', d.serial ? <span className="ipk-mono">{d.serial}</span> : null],
            ['Asset tag', d.asset_tag],
            ['MAC addresses', d.macs.length ? <span className="ipk-mono">{d.macs.join(', ')}</span> : null],
            ['Model', [d.vendor, d.model].filter(Boolean).join(' ') || null],
            ['OS', [d.os_type ?? d.os_family, d.os_version].filter(Boolean).join(' ') || null],
            ['Power', d.power_state ? <Power state={d.power_state} /> : null],
            ['vCPUs / memory', d.vcpus !== null || d.memory_mb !== null ? `${d.vcpus ?? '—'} vCPU / ${d.memory_mb !== null ? `${d.memory_mb.toLocaleString('en-US')} MB` : '—'}` : null],
            ['Cluster', d.cluster],
          ]}
        />
      </div>
      <div className="ipw-card">
        <h2>Place, owners and use</h2>
        <Kv
          rows={[
            ['Location', [d.room_location, d.sub_location].filter(Boolean).join(' / ') || null],
            ['Project', d.project],
            ['Environment', d.environment],
            ['Technical owner', d.technical_owner?.full_name],
            ['Business owner', d.business_owner?.full_name],
            ['Tags', d.tags.length ? d.tags.map((t) => <Chip key={t} label={t} color={valueColor(t)} />) : null],
            ['Notes', d.notes],
            ...custom.map(([k, v]) => [k, show(v)] as [string, React.ReactNode]),
            ['First / last seen', d.first_seen_at || d.last_seen_at ? `${d.first_seen_at?.slice(0, 16) ?? '—'} / ${d.last_seen_at?.slice(0, 16) ?? 'never'}` : null],
            ['Created / updated', `${d.created_at?.slice(0, 16) ?? '—'} / ${d.updated_at?.slice(0, 16) ?? '—'}`],
          ]}
        />
      </div>
    </div>
  );
};

const IpsTab: React.FC<{ detail: DeviceDetail }> = ({ detail }) => (
  <div className="ipw-card" data-testid="ips-tab">
    <h2>IP addresses</h2>
    {detail.ips.length === 0 ? <p className="ipk-muted">No IP address on this device.</p> : null}
    {detail.ips.length ? (
      <table className="dvw-facts">
        <thead>
          <tr>
            <th>Address</th>
            <th>NIC / network</th>
            <th>From</th>
            <th>Label</th>
          </tr>
        </thead>
        <tbody>
          {detail.ips.map((ip) => (
            <tr key={`${ip.address}-${ip.origin}`} data-testid={`ip-${ip.address}`}>
              <td className="ipk-mono">
                <a href={`/ui/resources/ip_assets?q=${encodeURIComponent(ip.address)}`}>{ip.address}</a>
                {ip.primary ? <span className="ipw-badge">primary</span> : null}
              </td>
              <td>{ip.nic ?? <span className="ipk-muted">—</span>}</td>
              <td>{ip.origin === 'manual' ? <Chip label="manual (kept across syncs)" color="#fef3c7" /> : <Chip label={ip.source ?? 'source'} color="#e0e7ff" />}</td>
              <td>{ip.label ?? <span className="ipk-muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
  </div>
);

const HistoryTab: React.FC<{ detail: DeviceDetail }> = ({ detail }) => (
  <div className="ipw-card" data-testid="history-tab">
    <h2>Change history</h2>
    {detail.history.length === 0 ? <p className="ipk-muted">No change recorded yet.</p> : null}
    {detail.history.length ? (
      <table className="dvw-facts">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Field</th>
            <th>Old</th>
            <th>New</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {detail.history.map((h) => (
            <tr key={h.id} data-testid="history-row">
              <td style={{ whiteSpace: 'nowrap' }}>{h.changed_at.slice(0, 19).replace('T', ' ')}</td>
              <td>{h.field}</td>
              <td className="dvw-struck">{h.old_value ?? '—'}</td>
              <td>{h.new_value ?? '—'}</td>
              <td>{h.run_id ? <Chip label={`sync run #${h.run_id}`} color="#e9d5ff" /> : h.by ?? 'system'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
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
      setDetail(toDetail(await api.get<unknown>(`/devices/${id}`)));
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setAudit(await api.get<AuditEntry[]>(`/audit${qs({ target_type: 'DEVICE', target_id: id, limit: 100 })}`).catch(() => []));
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const saved = (message: string): void => {
    setNotice(message);
    setEditing(false);
    void load();
  };
  const d = detail?.device;
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
              {d.kind ? <Chip label={kindLabel(d.kind)} color={valueColor(d.kind)} /> : null}
              {d.platform ? <Chip label={d.platform} /> : null}
              {d.power_state ? <Power state={d.power_state} /> : null}
              {d.archived ? <span className="ipw-badge">archived</span> : null}
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
          {tab === 'overview' ? <Overview detail={detail} /> : null}
          {tab === 'facts' ? <FactsTab detail={detail} canWrite={canWrite} onSaved={saved} /> : null}
          {tab === 'ips' ? <IpsTab detail={detail} /> : null}
          {tab === 'history' ? <HistoryTab detail={detail} /> : null}
          {tab === 'audit' ? <AuditTab entries={audit} /> : null}
        </div>
      ) : null}
      {editing && detail ? <DeviceEditDrawer device={detail.device} onClose={() => setEditing(false)} onSaved={saved} /> : null}
    </div>
  );
};

export default DeviceDetailPage;
