import React, { useCallback, useEffect, useState } from 'react';
import { useCurrentAdmin } from 'adminjs';
import { api, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { useIpkStyles } from '../shared/styles';
import { AssetFormDrawer, DeleteDrawer } from './asset-drawers';
import { loadCatalog, type Asset, type Catalog } from '../shared/catalog';
import { AUDIT_ACTION_COLORS, TYPE_COLORS } from '../shared/value-colors';
import { LIST_PATH, detailPath, enc, lastSeenText, restoreAsset, writeState, readState, type ListState } from './model';
import { useWorkspaceStyles } from './styles';
import { Notice } from '../shared/drawer';
import { runPath, SeenByCard } from './seen-by-card';
import type { AssetSeenBy } from '../../src/services/assets/wire';

type AuditEntry = { id: number; username: string | null; action: string; changes: string | null; created_at: string; run: { id: number; plugin: string; source: string | null } | null };

type HostView = { id: number; name: string; linked_assets?: { os: Asset[]; bmc: Asset[]; other: Asset[] } };
type Props = { record?: { params: Record<string, unknown> } };


/** The record params AdminJS hands us, as an Asset (used when the API has no active row, e.g. archived). */
function fromParams(p: Record<string, unknown>): Asset {
  const tags = String(p.tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
  return {
    id: Number(p.id),
    ip_address: String(p.ip_address ?? ''),
    type: String(p.type ?? 'OTHER') as Asset['type'],
    project_id: num(p.project_id),
    host_id: num(p.host_id),
    notes: (p.notes as string | null) ?? null,
    archived: p.archived === true || p.archived === 'true',
    created_at: String(p.created_at ?? ''),
    updated_at: String(p.updated_at ?? ''),
    last_seen_at: (p.last_seen_at as string | null) || null,
    tags,
  };
}

/** "type: VM → OS; tags: …" → one line per field. */
function changeLines(changes: string | null): string[] {
  if (!changes) return [];
  return changes
    .split(/;\s+|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The IP asset page: header chips, details, the OS↔BMC pair of its host, its audit history; edit/delete via the shared drawers. */
const IpAssetDetail: React.FC<Props> = ({ record }) => {
  useIpkStyles();
  useWorkspaceStyles();
  const [admin] = useCurrentAdmin();
  const role = (admin as { role?: string } | null)?.role;
  const canWrite = role === 'editor';
  const [asset, setAsset] = useState<Asset | null>(record ? fromParams(record.params) : null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [host, setHost] = useState<HostView | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [seenBy, setSeenBy] = useState<AssetSeenBy[] | null>(null);
  const [drawer, setDrawer] = useState<'edit' | 'delete' | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [gone, setGone] = useState(false);

  const refresh = useCallback(async () => {
    if (!asset) return;
    const fresh = await api.get<Asset>(`/ip-assets/${enc(asset.ip_address)}`).catch(() => null);
    const a = fresh ?? asset;
    if (fresh) setAsset(fresh);
    // The sources come from their own route: it answers for an archived address too.
    const [cat, entries, h, seen] = await Promise.all([
      loadCatalog(),
      api.get<AuditEntry[]>(`/audit${qs({ target_type: 'IP_ASSET', target_id: a.id, limit: 50 })}`).catch(() => []),
      a.host_id ? api.get<HostView>(`/hosts/${a.host_id}`).catch(() => null) : Promise.resolve(null),
      api.get<AssetSeenBy[]>(`/ip-assets/${enc(a.ip_address)}/seen-by`).catch(() => []),
    ]);
    setCatalog(cat);
    setAudit(entries);
    setHost(h);
    setSeenBy(seen);
  }, [asset?.ip_address]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (!asset) return <div className="ipw">Not found.</div>;
  const restore = async (): Promise<void> => {
    setError('');
    try {
      setAsset(await restoreAsset(asset.ip_address));
      setNotice(`${asset.ip_address} restored with its data and history.`);
      void refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const project = asset.project_id && catalog ? catalog.projectById.get(asset.project_id) : undefined;
  const pair = host?.linked_assets ? [...host.linked_assets.os.map((a) => ['OS', a] as const), ...host.linked_assets.bmc.map((a) => ['BMC', a] as const)] : [];
  const filterLink = (patch: Partial<ListState>): string => `${LIST_PATH}${writeState({ ...readState(''), ...patch })}`;

  return (
    <div className="ipw" data-testid="ip-detail">
      <div style={{ marginBottom: 6 }}>
        <a href={LIST_PATH} className="ipk-btn ipk-btn-link" style={{ paddingLeft: 0 }}>
          ‹ IP assets
        </a>
      </div>
      <div className="ipw-head">
        <div>
          <h1 style={{ fontFamily: 'ui-monospace,SFMono-Regular,Menlo,monospace' }}>{asset.ip_address}</h1>
          <div className="ipw-chips" data-testid="header-chips">
            <Chip label={asset.type} color={TYPE_COLORS[asset.type]} />
            {project ? <Chip label={project.name} color={project.color} /> : <span className="ipw-unassigned">Unassigned</span>}
            {asset.tags.map((t) => (
              <Chip key={t} label={t} color={catalog?.tagByName.get(t)?.color} />
            ))}
            {asset.archived || gone ? <span className="ipw-badge">{gone ? 'deleted' : 'archived'}</span> : null}
          </div>
        </div>
        {canWrite && !gone ? (
          <div style={{ display: 'flex', gap: 8 }}>
            {asset.archived ? (
              <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => void restore()} data-testid="restore">
                Restore
              </button>
            ) : null}
            <button type="button" className="ipk-btn" onClick={() => setDrawer('edit')} disabled={!catalog}>
              Edit
            </button>
            <button type="button" className="ipk-btn ipw-danger" onClick={() => setDrawer('delete')} disabled={!catalog}>
              Delete
            </button>
          </div>
        ) : null}
      </div>
      <Notice message={notice || null} />
      {error ? <div className="ipk-warn">{error}</div> : null}
      {asset.archived && !gone ? <div className="ipk-hint" style={{ marginBottom: 10 }} data-testid="archived-hint">This address is archived: the IP list and service discovery leave it out until it is restored.</div> : null}
      <div className="ipw-grid">
        <div className="ipw-card">
          <h2>Details</h2>
          <dl className="ipw-kv">
            <dt>IP address</dt>
            <dd>{asset.ip_address}</dd>
            <dt>Type</dt>
            <dd>
              <a href={filterLink({ type: asset.type })}>{asset.type}</a>
            </dd>
            <dt>Project</dt>
            <dd>{project ? <a href={filterLink({ project: String(project.id) })}>{project.name}</a> : <span className="ipk-muted">Unassigned</span>}</dd>
            <dt>Host</dt>
            <dd>{host ? host.name : asset.host_id ? `#${asset.host_id}` : <span className="ipk-muted">—</span>}</dd>
            <dt>Notes</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{asset.notes || <span className="ipk-muted">—</span>}</dd>
            <dt>Last seen</dt>
            <dd data-testid="last-seen">{lastSeenText(asset.last_seen_at)}</dd>
            <dt>Created</dt>
            <dd>{asset.created_at}</dd>
            <dt>Updated</dt>
            <dd>{asset.updated_at}</dd>
          </dl>
        </div>
        <div className="ipw-card" data-testid="host-pair">
          <h2>Host pair {host ? <span className="ipk-muted">· {host.name}</span> : null}</h2>
          {!asset.host_id ? (
            <div className="ipk-muted">Not linked to a host.</div>
          ) : pair.length === 0 ? (
            <div className="ipk-muted">No OS or BMC address on this host.</div>
          ) : (
            <dl className="ipw-kv">
              {pair.map(([kind, a]) => (
                <React.Fragment key={a.id}>
                  <dt>{kind}</dt>
                  <dd>
                    {a.id === asset.id ? (
                      <strong>{a.ip_address}</strong>
                    ) : (
                      <a href={detailPath(a.id)} style={{ fontFamily: 'ui-monospace,monospace' }}>
                        {a.ip_address}
                      </a>
                    )}
                    {a.id === asset.id ? <span className="ipk-muted"> (this address)</span> : null}
                  </dd>
                </React.Fragment>
              ))}
            </dl>
          )}
        </div>
      </div>
      <SeenByCard seenBy={seenBy} />
      <div className="ipw-card" data-testid="audit">
        <h2>History</h2>
        {audit.length === 0 ? (
          <div className="ipk-muted">No audit entries.</div>
        ) : (
          <table className="ipw-audit">
            <tbody>
              {audit.map((e) => (
                <tr key={e.id}>
                  <td style={{ width: 150, color: '#64748b' }}>{e.created_at}</td>
                  <td style={{ width: 90 }}>
                    <Chip label={e.action} color={AUDIT_ACTION_COLORS[e.action] ?? '#e2e8f0'} />
                  </td>
                  <td style={{ width: 150 }}>
                    {e.username ?? 'system'}
                    {e.run ? (
                      <div style={{ fontSize: 12 }}>
                        via{' '}
                        <a href={runPath(e.run.id)} title={e.run.source ?? undefined} data-testid="history-run">
                          {e.run.plugin} run #{e.run.id}
                        </a>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <ul>
                      {changeLines(e.changes).map((l, i) => (
                        <li key={i}>{l}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {drawer === 'edit' && catalog ? (
        <AssetFormDrawer
          asset={asset}
          catalog={catalog}
          hostName={host?.name}
          onClose={() => setDrawer(null)}
          onSaved={(m) => {
            setDrawer(null);
            setNotice(m);
            void refresh();
          }}
        />
      ) : null}
      {drawer === 'delete' && catalog ? (
        <DeleteDrawer
          asset={asset}
          catalog={catalog}
          hostName={host?.name}
          onClose={() => setDrawer(null)}
          onDone={(m) => {
            setDrawer(null);
            if (/deleted/.test(m)) {
              window.location.assign(LIST_PATH);
              setGone(true);
            } else {
              setNotice(m);
              setAsset({ ...asset, archived: true });
              void refresh();
            }
          }}
        />
      ) : null}
    </div>
  );
};

export default IpAssetDetail;
