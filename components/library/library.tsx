import React, { useCallback, useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { randomPleasantColor } from '../../src/domain/colors';
import { api, formErrors } from '../shared/api';
import { Chip } from '../shared/chip';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, ListShell, useLocalList } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useIpkStyles } from '../shared/styles';

type Tab = 'projects' | 'tags' | 'vendors';
type Item = { id: number; name: string; color?: string | null; description?: string | null; ip_count: number };
type Mode = { kind: 'new' } | { kind: 'edit'; item: Item } | { kind: 'delete'; item: Item };

const TABS: { id: Tab; label: string; noun: string }[] = [
  { id: 'projects', label: 'Projects', noun: 'Project' },
  { id: 'tags', label: 'Tags', noun: 'Tag' },
  { id: 'vendors', label: 'Vendors', noun: 'Vendor' },
];

/** The catalog library: Projects / Tags / Vendors tabs (the list of each resource), drawers for create/edit/delete. */
const Library: React.FC<{ resource?: { id: string } }> = ({ resource }) => {
  useIpkStyles();
  const tab = (resource?.id as Tab) ?? 'projects';
  const meta = TABS.find((t) => t.id === tab)!;
  const { role, canWrite } = useRole();
  const [items, setItems] = useState<Item[] | null>(null);
  const reload = useCallback(async () => {
    // The resource's list action carries the IPs count (the adapter decorates the page).
    const res = await new ApiClient().resourceAction({ resourceId: tab, actionName: 'list', params: { perPage: 500, sortBy: 'name', direction: 'asc' } } as never);
    const records = (res.data as { records: { params: Record<string, unknown> }[] }).records;
    setItems(records.map((r) => ({ id: Number(r.params.id), name: String(r.params.name), color: (r.params.color as string) ?? null, description: (r.params.description as string) ?? null, ip_count: Number(r.params.ip_count ?? 0) })));
  }, [tab]);
  const { mode, setMode, notice, done } = useDrawerPage<Mode>(reload);
  useEffect(() => {
    void reload();
  }, [reload]);
  const list = useLocalList(
    items,
    (it, needle) => it.name.toLowerCase().includes(needle) || (it.description ?? '').toLowerCase().includes(needle),
    (it, key) => (key === 'name' ? it.name : key === 'ip_count' ? it.ip_count : key === 'description' ? it.description : null),
    { key: 'name', dir: 'asc' },
  );
  const newButton = (testId: string): React.ReactNode => (
    <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'new' })} data-testid={testId}>
      + New {meta.noun}
    </button>
  );
  return (
    <div style={{ padding: 24 }} data-testid="library">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <div>
          <h2 style={{ margin: '0 0 8px', fontSize: 22, fontWeight: 600 }}>Catalog settings</h2>
          <div role="tablist" style={{ display: 'inline-flex', border: '1px solid #cbd5e1', borderRadius: 6, overflow: 'hidden' }}>
            {TABS.map((t) => (
              <a key={t.id} role="tab" aria-selected={t.id === tab} href={`/ui/resources/${t.id}`} data-testid={`tab-${t.id}`} style={{ padding: '6px 14px', fontSize: 13, textDecoration: 'none', background: t.id === tab ? '#2563eb' : '#fff', color: t.id === tab ? '#fff' : '#0f172a' }}>
                {t.label}
              </a>
            ))}
          </div>
        </div>
        {canWrite ? newButton('new-item') : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      <ListShell
        {...list.shell}
        search={{ ...list.search, placeholder: `Search ${meta.label.toLowerCase()}`, label: `Search ${meta.label.toLowerCase()}`, testId: 'library-search' }}
        columns={[
          { key: 'name', label: 'Name', sortable: true },
          ...(tab !== 'vendors' ? [{ key: 'color', label: 'Colour', width: 110 }] : []),
          ...(tab === 'projects' ? [{ key: 'description', label: 'Description', sortable: true }] : []),
          { key: 'ip_count', label: 'IPs', width: 80, sortable: true },
          ...(canWrite ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        testId="library-table"
        empty={list.needle ? <EmptyState canWrite={false} message={`No ${meta.label.toLowerCase()} match.`} /> : <EmptyState canWrite={canWrite} message={`No ${meta.label.toLowerCase()} yet.`} actions={newButton('empty-new-item')} readerHint={whoCanAdd(role, meta.label.toLowerCase())} />}
      >
        {list.shown.map((it) => (
          <tr key={it.id} data-testid={`item-${it.name}`}>
            <td style={{ fontWeight: 500, overflow: 'visible' }}>{tab === 'vendors' ? it.name : <Chip label={it.name} color={it.color} />}</td>
            {tab !== 'vendors' ? <td className="ipk-mono">{it.color}</td> : null}
            {tab === 'projects' ? <td title={it.description ?? ''}>{it.description ?? ''}</td> : null}
            <td className="ipk-num">{it.ip_count}</td>
            <RowActionsCell canWrite={canWrite} name={it.name} onEdit={() => setMode({ kind: 'edit', item: it })} onDelete={() => setMode({ kind: 'delete', item: it })} />
          </tr>
        ))}
      </ListShell>
      {mode?.kind === 'new' || mode?.kind === 'edit' ? <ItemDrawer tab={tab} noun={meta.noun} item={mode.kind === 'edit' ? mode.item : null} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'delete' ? <DeleteDrawer tab={tab} noun={meta.noun} item={mode.item} onClose={() => setMode(null)} onDone={done} /> : null}
    </div>
  );
};

const ItemDrawer: React.FC<{ tab: Tab; noun: string; item: Item | null; onClose: () => void; onDone: (m: string) => void }> = ({ tab, noun, item, onClose, onDone }) => {
  const [name, setName] = useState(item?.name ?? '');
  // A new tag or project suggests a random pleasant colour; the operator can override it.
  const [color, setColor] = useState(item?.color ?? randomPleasantColor());
  const [description, setDescription] = useState(item?.description ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    const body: Record<string, unknown> = { name: name.trim() };
    if (tab !== 'vendors') body.color = color;
    if (tab === 'projects') body.description = description.trim() || null;
    try {
      if (item) await api.patch(`/${tab}/${item.id}`, body);
      else await api.post(`/${tab}`, body);
      onDone(`${noun} ${name.trim()} ${item ? 'saved' : 'created'}.`);
    } catch (err) {
      setErrors(formErrors(err, 'name', 'name'));
    }
  };
  return (
    <Drawer
      open
      title={item ? `Edit ${noun.toLowerCase()} ${item.name}` : `New ${noun.toLowerCase()}`}
      onClose={onClose}
      onSubmit={() => void save()}
      formId="item-form"
      testId="item-drawer"
      footer={<FormFooter formId="item-form" submitLabel={item ? 'Save' : `Create ${noun.toLowerCase()}`} disabled={!name.trim()} onCancel={onClose} />}
    >
      <Field label="Name" error={errors.name} htmlFor="item-name">
        <input id="item-name" className="ipk-input" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      {tab !== 'vendors' ? (
        <Field label="Colour" error={errors.color} htmlFor="item-color">
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input type="color" aria-label="Pick colour" value={/^#[0-9a-f]{6}$/i.test(color) ? color : '#94a3b8'} onChange={(e) => setColor(e.target.value)} style={{ width: 40, height: 32, border: 0, padding: 0, background: 'none' }} />
            <input id="item-color" className="ipk-input" style={{ width: 120 }} value={color} onChange={(e) => setColor(e.target.value)} />
            <span data-testid="color-preview">
              <Chip label={name.trim() || 'preview'} color={/^#[0-9a-f]{6}$/i.test(color) ? color : undefined} />
            </span>
          </div>
        </Field>
      ) : null}
      {tab === 'projects' ? (
        <Field label="Description" error={errors.description} htmlFor="item-description">
          <textarea id="item-description" className="ipk-textarea" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      ) : null}
    </Drawer>
  );
};

const DeleteDrawer: React.FC<{ tab: Tab; noun: string; item: Item; onClose: () => void; onDone: (m: string) => void }> = ({ tab, noun, item, onClose, onDone }) => (
  <RecordDeleteDrawer
    title={`Delete ${noun.toLowerCase()}`}
    testId="item-delete-drawer"
    path={`/${tab}/${item.id}`}
    doneMessage={`${noun} ${item.name} deleted.`}
    onClose={onClose}
    onDone={onDone}
    summary={[[noun, item.name], ['IPs', String(item.ip_count)]]}
    confirmText={item.name}
    riskReason={`Deleting a ${noun.toLowerCase()} cannot be undone.`}
  />
);

export default Library;
