import React, { useEffect, useMemo, useState } from 'react';
import { ApiError, api, formErrors } from '../shared/api';
import { Chip } from '../shared/chip';
import { RecordDeleteDrawer } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { exactOption, SearchPicker, type PickerOption } from '../shared/search-picker';
import { TagPicker } from '../shared/tag-picker';
import { ASSET_TYPES } from '../../src/domain/asset-types';
import type { Asset, Catalog, Host } from '../shared/catalog';
import { archivedConflict, deleteRisk, enc, hostNamesFor, rememberHost, restoreAsset, searchHosts } from './model';

type Done = (message: string) => void;

/**
 * Adding an address that exists only archived: say what the archived row holds and let the user
 * restore it as it was (its history continues) or overwrite it with what was typed.
 */
const ArchivedOffer: React.FC<{ asset: Asset; catalog: Catalog; busy: boolean; onRestore: () => void; onReplace: () => void }> = ({ asset, catalog, busy, onRestore, onReplace }) => {
  const [hostName, setHostName] = useState<string | null>(null);
  useEffect(() => {
    if (!asset.host_id) return;
    void hostNamesFor([asset.host_id]).then((names) => setHostName(names.get(asset.host_id!) ?? null));
  }, [asset.host_id]);
  const project = asset.project_id ? (catalog.projectById.get(asset.project_id)?.name ?? `#${asset.project_id}`) : null;
  const held = [
    `type ${asset.type}`,
    project ? `project ${project}` : 'no project',
    asset.host_id ? `host ${hostName ?? '…'}` : null,
    asset.tags.length ? `tags ${asset.tags.join(', ')}` : 'no tags',
    asset.notes ? `notes “${asset.notes.length > 60 ? `${asset.notes.slice(0, 60)}…` : asset.notes}”` : null,
  ].filter(Boolean);
  return (
    <div role="alert" data-testid="archived-offer" style={{ background: '#fffbeb', border: '1px solid #fde68a', color: '#78350f', borderRadius: 8, padding: '10px 12px', fontSize: 13, marginBottom: 14 }}>
      <div style={{ marginBottom: 8 }}>
        <strong>{asset.ip_address} is archived</strong> ({held.join('; ')}).
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <button type="button" className="ipk-btn ipk-btn-sm ipk-btn-primary" disabled={busy} onClick={onRestore} data-testid="offer-restore">
          Restore it with its data
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={busy} onClick={onReplace} data-testid="offer-replace">
          Replace it with what you typed
        </button>
      </div>
    </div>
  );
};

/** Add (asset null) or edit an asset; closes and reports on success, shows server errors inline. */
export const AssetFormDrawer: React.FC<{ asset: Asset | null; catalog: Catalog; hostName?: string; onClose: () => void; onSaved: Done }> = ({ asset, catalog, hostName, onClose, onSaved }) => {
  const [ip, setIp] = useState(asset?.ip_address ?? '');
  const [type, setType] = useState<string>(asset?.type ?? 'VM');
  const [project, setProject] = useState(asset?.project_id ? String(asset.project_id) : '');
  const [host, setHost] = useState<PickerOption | null>(asset?.host_id ? { id: asset.host_id, label: hostName ?? `#${asset.host_id}` } : null);
  const [hostText, setHostText] = useState('');
  const [autoHost, setAutoHost] = useState(true);
  const [tags, setTags] = useState<string[]>(asset?.tags ?? []);
  const [notes, setNotes] = useState(asset?.notes ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  /** The archived row of the typed address, once the server said it exists (add mode). */
  const [archived, setArchived] = useState<Asset | null>(null);
  const hostable = type === 'OS' || type === 'BMC';
  const bmcName = `server_${ip.trim() || '<ip>'}`;

  const linkServer = async (): Promise<void> => {
    try {
      const h = await api.post<Host>('/hosts', { name: `server_${ip.trim()}` });
      rememberHost(h);
      setHost({ id: h.id, label: h.name });
    } catch (err) {
      setErrors({ host_id: err instanceof Error ? err.message : String(err) });
    }
  };

  const save = async (ifArchived: 'conflict' | 'overwrite' = 'conflict'): Promise<void> => {
    setBusy(true);
    setErrors({});
    // A host name typed but not chosen is used when it names exactly one host, never dropped.
    let chosen = host;
    if (hostable && hostText.trim()) {
      chosen = await exactOption(searchHosts, hostText).catch(() => null);
      if (!chosen) {
        setErrors({ host_id: 'Choose a host from the list or clear the field.' });
        setBusy(false);
        return;
      }
      setHost(chosen);
    }
    const common = {
      type,
      project_id: project ? Number(project) : null,
      host_id: hostable && chosen ? chosen.id : null,
      tags,
      notes: notes.trim() ? notes : null,
    };
    try {
      if (asset) await api.patch(`/ip-assets/${enc(asset.ip_address)}`, common);
      else await api.post('/ip-assets', { ip_address: ip.trim(), ...common, ...(type === 'BMC' && !chosen ? { auto_host: autoHost } : { auto_host: false }), if_archived: ifArchived });
      onSaved(asset ? `${asset.ip_address} saved.` : ifArchived === 'overwrite' ? `${ip.trim()} restored, replaced with what you typed.` : `${ip.trim()} added.`);
    } catch (err) {
      const gone = err instanceof ApiError && err.status === 409 ? archivedConflict(err.body) : null;
      if (gone) setArchived(gone);
      else if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      else if (err instanceof ApiError && err.status === 409) setErrors({ ip_address: err.message });
      else if (err instanceof ApiError && err.status === 400) setErrors({ ip_address: err.message });
      else setErrors({ _: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const restoreArchived = async (): Promise<void> => {
    if (!archived) return;
    setBusy(true);
    try {
      await restoreAsset(archived.ip_address);
      onSaved(`${archived.ip_address} restored with its data and history.`);
    } catch (err) {
      setArchived(null);
      setErrors({ _: err instanceof Error ? err.message : String(err) });
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      title={asset ? `Edit ${asset.ip_address}` : 'Add IP asset'}
      subtitle={asset ? 'Changes are audited.' : 'A new address in the inventory.'}
      onClose={onClose}
      onSubmit={() => void save()}
      formId="ipk-asset-form"
      testId="asset-drawer"
      footer={<FormFooter formId="ipk-asset-form" submitLabel={asset ? 'Save changes' : 'Add IP'} disabled={busy} onCancel={onClose} />}
    >
      {errors._ ? <div className="ipk-warn">{errors._}</div> : null}
      {archived ? <ArchivedOffer asset={archived} catalog={catalog} busy={busy} onRestore={() => void restoreArchived()} onReplace={() => void save('overwrite')} /> : null}
      <Field label="IP address" error={errors.ip_address} htmlFor="ipk-ip" hint={asset ? 'The address of an asset cannot change.' : 'IPv4 or IPv6.'}>
        <input
          id="ipk-ip"
          name="ip_address"
          className="ipk-input"
          value={ip}
          readOnly={!!asset}
          onChange={(e) => (setIp(e.target.value), setArchived(null), setErrors(({ ip_address: _, ...rest }) => rest))}
          placeholder="10.0.0.1"
          autoComplete="off"
        />
      </Field>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        <Field label="Type" error={errors.type} htmlFor="ipk-type">
          <select id="ipk-type" name="type" className="ipk-select" value={type} onChange={(e) => setType(e.target.value)}>
            {ASSET_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Project" error={errors.project_id} htmlFor="ipk-project">
          <select id="ipk-project" name="project_id" className="ipk-select" value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">— Unassigned —</option>
            {catalog.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {hostable ? (
        <Field label="Host" error={errors.host_id} hint={type === 'BMC' && !host ? null : 'Search hosts by name.'}>
          <SearchPicker value={host} onChange={setHost} search={searchHosts} placeholder="Search hosts…" testId="host-picker" clearLabel="Clear host" onTextChange={setHostText} />
          {type === 'BMC' && !host ? (
            <div className="ipk-hint" style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 6 }}>
              {asset ? (
                <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => void linkServer()} data-testid="link-server">
                  Create and link {bmcName}
                </button>
              ) : (
                <label className="ipk-check" style={{ margin: 0 }}>
                  <input type="checkbox" checked={autoHost} onChange={(e) => setAutoHost(e.target.checked)} data-testid="auto-host" />
                  <span>
                    Create and link <code>{bmcName}</code>
                  </span>
                </label>
              )}
            </div>
          ) : null}
        </Field>
      ) : null}
      <Field label="Tags" error={errors.tags}>
        <TagPicker value={tags} onChange={setTags} options={catalog.tags} placeholder="Add tags…" allowNew />
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="ipk-notes">
        <textarea id="ipk-notes" name="notes" className="ipk-textarea" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
    </Drawer>
  );
};

/** Permanent delete (typed IP for high-risk assets) with Archive beside it. */
export const DeleteDrawer: React.FC<{ asset: Asset; catalog: Catalog; hostName?: string; onClose: () => void; onDone: Done }> = ({ asset, catalog, hostName, onClose, onDone }) => {
  const risk = deleteRisk(asset);
  const project = asset.project_id ? catalog.projectById.get(asset.project_id) : undefined;
  return (
    <RecordDeleteDrawer
      title={`Delete ${asset.ip_address}`}
      subtitle="Deleting removes the address for good; archiving keeps its history."
      testId="delete-drawer"
      path={`/ip-assets/${enc(asset.ip_address)}`}
      doneMessage={`${asset.ip_address} deleted.`}
      secondary={asset.archived ? undefined : { label: 'Archive', run: () => api.post(`/ip-assets/${enc(asset.ip_address)}/archive`), doneMessage: `${asset.ip_address} archived.` }}
      onClose={onClose}
      onDone={onDone}
      summary={[
        ['IP', <strong key="ip">{asset.ip_address}</strong>],
        ['Project', project ? <Chip label={project.name} color={project.color} /> : null],
        ['Type', <Chip key="t" label={asset.type} color={undefined} />],
        ['Host', asset.host_id ? hostName ?? `#${asset.host_id}` : null],
        ['Tags', asset.tags.length ? asset.tags.join(', ') : null],
      ]}
      confirmText={risk ? asset.ip_address : null}
      riskReason={risk ?? undefined}
      acknowledgement="I understand this permanently deletes the IP asset."
    />
  );
};

/** One change to many assets: one request, one transaction. */
export const BulkDrawer: React.FC<{ ids: number[]; commonTags: string[]; catalog: Catalog; onClose: () => void; onDone: Done }> = ({ ids, commonTags, catalog, onClose, onDone }) => {
  const [type, setType] = useState('');
  const [project, setProject] = useState(''); // '' keep, 'none' clear, id
  const [addTags, setAddTags] = useState<string[]>([]);
  const [removeTags, setRemoveTags] = useState<string[]>([]);
  const [notesMode, setNotesMode] = useState<'' | 'set' | 'append' | 'clear'>('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const changes = useMemo(() => {
    const body: Record<string, unknown> = { asset_ids: ids };
    if (type) body.type = type;
    if (project) body.project_id = project === 'none' ? null : Number(project);
    if (addTags.length) body.add_tags = addTags;
    if (removeTags.length) body.remove_tags = removeTags;
    if (notesMode) {
      body.notes_mode = notesMode;
      if (notesMode !== 'clear') body.notes = notes;
    }
    return body;
  }, [ids, type, project, addTags, removeTags, notesMode, notes]);
  const nothing = Object.keys(changes).length === 1;
  const apply = async (): Promise<void> => {
    setBusy(true);
    setErrors({});
    try {
      const r = await api.post<{ updated: number; unchanged: number }>('/ip-assets/bulk', changes);
      onDone(`${r.updated.toLocaleString('en-US')} updated, ${r.unchanged.toLocaleString('en-US')} unchanged.`);
    } catch (err) {
      setErrors(formErrors(err));
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      title="Bulk edit"
      subtitle={`${ids.length.toLocaleString('en-US')} selected IP asset${ids.length === 1 ? '' : 's'}`}
      onClose={onClose}
      onSubmit={() => void apply()}
      formId="ipk-bulk-form"
      testId="bulk-drawer"
      footer={<FormFooter formId="ipk-bulk-form" submitLabel={`Apply to ${ids.length.toLocaleString('en-US')}`} disabled={busy || nothing} onCancel={onClose} />}
    >
      {errors._ ? <div className="ipk-warn">{errors._}</div> : null}
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        <Field label="Type" error={errors.type} htmlFor="ipk-bulk-type">
          <select id="ipk-bulk-type" className="ipk-select" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">Keep</option>
            {ASSET_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Project" error={errors.project_id} htmlFor="ipk-bulk-project">
          <select id="ipk-bulk-project" className="ipk-select" value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">Keep</option>
            <option value="none">— Clear (unassign) —</option>
            {catalog.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Add tags" error={errors.add_tags}>
        <TagPicker value={addTags} onChange={setAddTags} options={catalog.tags} placeholder="Add tags…" testId="bulk-add-tags" allowNew />
      </Field>
      <Field label="Common tags" error={errors.remove_tags} hint={commonTags.length ? 'Tick a tag to remove it from every selected asset.' : 'The selection shares no tag.'}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 10 }} data-testid="common-tags">
          {commonTags.map((t) => (
            <label key={t} className="ipk-check" style={{ margin: 0 }}>
              <input type="checkbox" checked={removeTags.includes(t)} onChange={(e) => setRemoveTags(e.target.checked ? [...removeTags, t] : removeTags.filter((x) => x !== t))} aria-label={`Remove ${t}`} />
              <Chip label={t} color={catalog.tagByName.get(t)?.color} />
            </label>
          ))}
        </div>
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="ipk-bulk-notes-mode">
        <select id="ipk-bulk-notes-mode" className="ipk-select" value={notesMode} onChange={(e) => setNotesMode(e.target.value as typeof notesMode)} style={{ marginBottom: 6 }}>
          <option value="">Keep</option>
          <option value="set">Set (replace)</option>
          <option value="append">Append</option>
          <option value="clear">Clear</option>
        </select>
        {notesMode === 'set' || notesMode === 'append' ? <textarea className="ipk-textarea" aria-label="Bulk notes" value={notes} onChange={(e) => setNotes(e.target.value)} /> : null}
      </Field>
    </Drawer>
  );
};
