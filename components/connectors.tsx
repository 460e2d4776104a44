import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { ChangePreview, type RunResult } from './shared/change-preview';
import { RecordDeleteDrawer } from './shared/confirm-delete';
import { initialValues, OptionsForm, optionsFrom, type OptionsSchema, type OptionValues } from './shared/options-form';

type Plugin = { name: string; title: string; description: string | null; options: OptionsSchema };
type Config = { id: number; name: string; plugin: string; options: Record<string, unknown>; cron: string | null; enabled: boolean; mode: string; running: boolean; last_status: string | null; last_error: string | null; last_run_at: string | null };
type Run = { id: number; mode: string; status: string; username: string | null; error: string | null; started_at: string; finished_at: string | null };
type RunDetail = Run & { log: { level: string; message: string; at: string }[] };
type Issue = { loc?: (string | number)[]; msg?: string };
/** The form of a new configuration or of one being edited (`id`). */
type Draft = { id: number | null; plugin: string; name: string; cron: string; mode: string; enabled: boolean; values: OptionValues; saved: Record<string, unknown> };

/** An API failure with the server's message and, for a 422, its issues (located at body.<field> or body.options.<key>). */
class ApiFailure extends Error {
  constructor(message: string, readonly issues: Issue[]) {
    super(message);
  }
}

/** JSON from the REST API with the panel session cookie; errors carry the API's `detail`. */
async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, credentials: 'same-origin', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const detail = (json as { detail?: unknown } | null)?.detail;
    const issues = Array.isArray(detail) ? (detail as Issue[]) : [];
    throw new ApiFailure(typeof detail === 'string' ? detail : issues.length ? issues.map((d) => `${(d.loc ?? []).filter((p) => p !== 'body').join('.')}: ${d.msg ?? ''}`).join('; ') : `HTTP ${res.status}`, issues);
  }
  return json as T;
}

const panel: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20 };
const tab = (active: boolean): React.CSSProperties => ({ padding: '8px 16px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a' });
const input: React.CSSProperties = { padding: '6px 8px', border: '1px solid #cbd5e1', borderRadius: 6, fontSize: 14, background: '#fff' };
const fieldLabel: React.CSSProperties = { display: 'block', fontSize: 13, fontWeight: 600, color: '#334155', marginBottom: 4 };
const statusColor = (s: string | null): string => (s === 'succeeded' ? '#15803d' : s === 'failed' || s === 'rejected' || s === 'interrupted' ? '#b91c1c' : '#64748b');

const newDraft = (p: Plugin): Draft => ({ id: null, plugin: p.name, name: '', cron: '*/15 * * * *', mode: 'dry_run', enabled: false, values: initialValues(p.options), saved: {} });
const editDraft = (c: Config, p: Plugin): Draft => ({ id: c.id, plugin: c.plugin, name: c.name, cron: c.cron ?? '', mode: c.mode, enabled: c.enabled, values: initialValues(p.options, c.options), saved: c.options });

/** The configuration form: name, schedule, and the options form generated from the connector's schema. */
const ConfigForm: React.FC<{ plugin: Plugin; draft: Draft; onChange: (d: Draft) => void; onSaved: (message: string) => void; onCancel: () => void }> = ({ plugin, draft, onChange, onSaved, onCancel }) => {
  const [errors, setErrors] = useState<{ fields: Record<string, string>; options: Record<string, string>; other: string | null }>({ fields: {}, options: {}, other: null });
  const box = useRef<HTMLDivElement>(null);
  // Edit is clicked in the table above: bring the form into view.
  useEffect(() => {
    if (draft.id !== null) box.current?.scrollIntoView({ block: 'start' });
  }, [draft.id]);
  const save = async (): Promise<void> => {
    const body = { name: draft.name, options: optionsFrom(plugin.options, draft.values), cron: draft.cron.trim() || null, mode: draft.mode, enabled: draft.enabled };
    try {
      if (draft.id === null) await api('POST', '/connectors/configs', { ...body, plugin: plugin.name });
      else await api('PATCH', `/connectors/configs/${draft.id}`, body);
      setErrors({ fields: {}, options: {}, other: null });
      onSaved(draft.id === null ? `${draft.name} saved${draft.enabled ? '' : ' (disabled until you enable it)'}.` : `${draft.name} saved.`);
    } catch (e) {
      const failure = e as ApiFailure;
      const next = { fields: {} as Record<string, string>, options: {} as Record<string, string>, other: null as string | null };
      for (const issue of failure.issues ?? []) {
        const [field, key] = (issue.loc ?? []).map(String).filter((p) => p !== 'body');
        if (field === 'options' && key) next.options[key] ??= issue.msg ?? 'is not valid';
        else if (field) next.fields[field] ??= issue.msg ?? 'is not valid';
      }
      if (!Object.keys(next.fields).length && !Object.keys(next.options).length) next.other = failure.message;
      setErrors(next);
    }
  };
  const fieldError = (name: string): React.ReactNode =>
    errors.fields[name] ? (
      <div style={{ fontSize: 12, color: '#b91c1c', marginTop: 3 }} role="alert" data-testid={`config-error-${name}`}>
        {errors.fields[name]}
      </div>
    ) : null;
  return (
    <div ref={box} style={panel} data-testid={draft.id === null ? 'connector-new' : 'connector-edit'}>
      <Text fontWeight="bold" mb="md">
        {draft.id === null ? `New ${plugin.title} configuration` : `Edit ${plugin.title} configuration`}
      </Text>
      <Box flex flexWrap="wrap" style={{ gap: 16, alignItems: 'flex-start' }} mb="lg">
        <div>
          <label htmlFor="config-name" style={fieldLabel}>
            Name *
          </label>
          <input id="config-name" style={{ ...input, minWidth: 220 }} value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} data-testid="new-name" />
          {fieldError('name')}
        </div>
        <div>
          <label htmlFor="config-cron" style={fieldLabel}>
            Schedule (cron)
          </label>
          <input id="config-cron" style={input} placeholder="*/15 * * * *" value={draft.cron} onChange={(e) => onChange({ ...draft, cron: e.target.value })} data-testid="config-cron" />
          {fieldError('cron')}
        </div>
        <div>
          <label htmlFor="config-mode" style={fieldLabel}>
            Scheduled runs
          </label>
          <select id="config-mode" style={input} value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value })} data-testid="config-mode">
            <option value="dry_run">dry-run</option>
            <option value="apply">apply</option>
          </select>
        </div>
        <label style={{ ...fieldLabel, display: 'flex', gap: 8, alignItems: 'center', paddingTop: 22 }}>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} data-testid="config-enabled" />
          Enabled
        </label>
      </Box>
      <div style={{ ...fieldLabel, fontSize: 14, marginBottom: 10 }}>Options</div>
      <OptionsForm
        schema={plugin.options}
        values={draft.values}
        saved={draft.saved}
        errors={errors.options}
        onChange={(values) => {
          // An edited field's error is stale: the next save checks it again.
          setErrors((e) => ({ ...e, options: Object.fromEntries(Object.entries(e.options).filter(([k]) => values[k] === draft.values[k])) }));
          onChange({ ...draft, values });
        }}
      />
      {errors.other ? (
        <div style={{ color: '#b91c1c', fontSize: 13, marginTop: 12 }} role="alert" data-testid="config-error">
          {errors.other}
        </div>
      ) : null}
      <Box flex style={{ gap: 12, alignItems: 'center', borderTop: '1px solid #e2e8f0', paddingTop: 16, marginTop: 18 }}>
        <Button variant="primary" data-testid="new-save" onClick={() => void save()}>
          Save
        </Button>
        {draft.id !== null ? (
          <Button variant="outlined" onClick={onCancel} data-testid="edit-cancel">
            Cancel
          </Button>
        ) : null}
        <span style={{ fontSize: 13, color: '#64748b' }}>Secrets are stored encrypted and never shown again; a secret left empty keeps the stored one.</span>
      </Box>
    </div>
  );
};

/** Connectors: Overview plus one tab per connector; saved configurations (add, edit, schedule), run now with the change table, live log. */
const Connectors: React.FC = () => {
  const [role, setRole] = useState<string | null>(null);
  const [plugins, setPlugins] = useState<Plugin[]>([]);
  const [configs, setConfigs] = useState<Config[]>([]);
  const [current, setCurrent] = useState<string>('overview');
  const [runs, setRuns] = useState<Record<number, Run[]>>({});
  const [log, setLog] = useState<RunDetail | null>(null);
  const [preview, setPreview] = useState<{ name: string; result: RunResult } | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<Config | null>(null);

  const reload = useCallback(async () => {
    const [p, c] = await Promise.all([api<Plugin[]>('GET', '/connectors'), api<Config[]>('GET', '/connectors/configs')]);
    setPlugins(p);
    setConfigs(c);
    const entries = await Promise.all(c.map(async (x) => [x.id, await api<Run[]>('GET', `/connectors/configs/${x.id}/runs?limit=10`)] as const));
    setRuns(Object.fromEntries(entries));
  }, []);
  useEffect(() => {
    new ApiClient()
      .getPage<{ role: string }>({ pageName: 'connectors' })
      .then((res) => setRole(res.data.role))
      .catch(() => setRole('viewer'));
    reload().catch((e: Error) => setNotice({ text: e.message, error: true }));
  }, [reload]);

  const showLog = useCallback(async (runId: number) => {
    // Follow a running run: its log lines are written while it works.
    for (let i = 0; i < 600; i++) {
      const detail = await api<RunDetail>('GET', `/import/runs/${runId}`);
      setLog(detail);
      if (detail.status !== 'running') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, []);

  const act = async (what: () => Promise<unknown>, done: string): Promise<void> => {
    setNotice(null);
    try {
      await what();
      setNotice({ text: done, error: false });
    } catch (e) {
      setNotice({ text: (e as Error).message, error: true });
    }
    await reload().catch(() => undefined);
  };
  const runNow = (c: Config, dryRun: boolean): Promise<void> =>
    act(async () => {
      setPreview(null);
      try {
        const r = await api<RunResult>('POST', `/connectors/configs/${c.id}/run?dry_run=${dryRun ? 1 : 0}&changes=2000`);
        setPreview({ name: c.name, result: r });
        await showLog(r.run_id);
      } catch (e) {
        const latest = (await api<Run[]>('GET', `/connectors/configs/${c.id}/runs?limit=1`))[0];
        if (latest) await showLog(latest.id);
        throw e;
      }
    }, `${c.name}: ${dryRun ? 'dry-run' : 'apply'} finished.`);

  const canEdit = role === 'editor';
  const why = canEdit ? undefined : `Needs the editor role (you are ${role ?? '…'})`;
  const shown = current === 'overview' ? configs : configs.filter((c) => c.plugin === current);
  const plugin = plugins.find((p) => p.name === current);
  const editing = draft?.id != null ? draft : null;
  const formPlugin = editing ? plugins.find((p) => p.name === editing.plugin) : plugin;
  const formDraft = editing ?? (plugin && draft?.plugin === plugin.name ? draft : plugin ? newDraft(plugin) : null);
  return (
    <Box variant="grey" data-testid="connectors">
      <H2 mb="lg">Connectors</H2>
      <Box mb="lg" style={{ borderBottom: '1px solid #e2e8f0' }}>
        {[{ name: 'overview', title: 'Overview' }, ...plugins].map((p) => (
          <button key={p.name} type="button" style={tab(current === p.name)} onClick={() => setCurrent(p.name)} data-testid={`tab-${p.name}`}>
            {p.title}
          </button>
        ))}
      </Box>
      {notice ? (
        <Box mb="lg" p="md" style={{ borderRadius: 8, background: notice.error ? '#fee2e2' : '#dcfce7' }} data-testid="connector-notice">
          <Text>{notice.text}</Text>
        </Box>
      ) : null}
      {plugin?.description ? <Text mb="lg" color="grey60">{plugin.description}</Text> : null}
      <div style={panel}>
        <Text fontWeight="bold" mb="md">
          Saved configurations
        </Text>
        {role !== null && !canEdit ? (
          <div style={{ fontSize: 13, color: '#b45309', marginBottom: 12 }} data-testid="connector-role-reason">
            Apply, Edit, Enable/Disable and Delete need the editor role (you are {role}); a dry-run shows what would change.
          </div>
        ) : null}
        {shown.length === 0 ? <Text color="grey60">None yet.</Text> : null}
        {shown.length > 0 ? (
          <Table data-testid="connector-configs">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Connector</TableCell>
                <TableCell>Schedule</TableCell>
                <TableCell>Last run</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>{c.name}</TableCell>
                  <TableCell>{c.plugin}</TableCell>
                  <TableCell>
                    {c.cron ?? '—'} ({c.mode === 'apply' ? 'apply' : 'dry-run'}, {c.enabled ? 'enabled' : 'disabled'})
                  </TableCell>
                  <TableCell>
                    <span style={{ color: statusColor(c.running ? 'running' : c.last_status) }}>{c.running ? 'running' : (c.last_status ?? 'never')}</span> {c.last_run_at ?? ''}
                    {(runs[c.id] ?? []).slice(0, 5).map((r) => (
                      <button key={r.id} type="button" onClick={() => void showLog(r.id)} style={{ marginLeft: 6, border: 'none', background: 'none', color: statusColor(r.status), cursor: 'pointer', textDecoration: 'underline' }} title={`${r.mode} ${r.started_at}`}>
                        #{r.id}
                      </button>
                    ))}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    <Button size="sm" mr="sm" onClick={() => void runNow(c, true)} data-testid={`dry-run-${c.id}`}>
                      Dry-run
                    </Button>
                    <Button size="sm" mr="sm" variant="primary" disabled={!canEdit} title={why} onClick={() => void runNow(c, false)} data-testid={`apply-${c.id}`}>
                      Apply
                    </Button>
                    <Button
                      size="sm"
                      mr="sm"
                      disabled={!canEdit}
                      title={why}
                      onClick={() => {
                        const p = plugins.find((x) => x.name === c.plugin);
                        if (p) setDraft(editDraft(c, p));
                      }}
                      data-testid={`edit-${c.id}`}
                    >
                      Edit
                    </Button>
                    <Button size="sm" mr="sm" disabled={!canEdit} title={why} onClick={() => void act(() => api('PATCH', `/connectors/configs/${c.id}`, { enabled: !c.enabled }), `${c.name} ${c.enabled ? 'disabled' : 'enabled'}.`)} data-testid={`toggle-${c.id}`}>
                      {c.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <Button size="sm" variant="danger" disabled={!canEdit} title={why} onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`} data-testid={`delete-${c.id}`}>
                      Delete
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </div>
      {preview ? (
        <div data-testid="connector-preview">
          <Text fontWeight="bold" mb="sm">
            {preview.name}
          </Text>
          <ChangePreview result={preview.result} />
        </div>
      ) : null}
      {log ? (
        <div style={panel} data-testid="connector-log">
          <Text fontWeight="bold" mb="md">
            Run #{log.id} ({log.mode === 'apply' ? 'apply' : 'dry-run'}): <span style={{ color: statusColor(log.status) }}>{log.status}</span>
          </Text>
          <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, maxHeight: 360, overflow: 'auto', background: '#0f172a', color: '#e2e8f0', padding: 12, borderRadius: 8 }}>
            {log.log.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.message}`).join('\n')}
          </pre>
        </div>
      ) : null}
      {canEdit && formPlugin && formDraft ? (
        <ConfigForm
          key={formDraft.id ?? `new-${formPlugin.name}`}
          plugin={formPlugin}
          draft={formDraft}
          onChange={setDraft}
          onCancel={() => setDraft(null)}
          onSaved={(message) => {
            // The typed secrets leave the page once stored.
            setDraft(null);
            void act(async () => undefined, message);
          }}
        />
      ) : null}
      {deleting ? (
        <RecordDeleteDrawer
          title="Delete connector"
          subtitle="Its runs and their logs are kept."
          testId="connector-delete-drawer"
          path={`/connectors/configs/${deleting.id}`}
          doneMessage={`${deleting.name} deleted.`}
          summary={[
            ['Name', deleting.name],
            ['Connector', deleting.plugin],
            ['Schedule', deleting.cron],
          ]}
          onClose={() => setDeleting(null)}
          onDone={(message) => {
            setDeleting(null);
            setNotice({ text: message, error: false });
            void reload().catch(() => undefined);
          }}
        />
      ) : null}
    </Box>
  );
};

export default Connectors;
