import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { api } from '../shared/api';
import { ChangePreview, type RunResult } from '../shared/change-preview';
import { RecordDeleteDrawer } from '../shared/confirm-delete';
import { logLines, type Run, type RunDetail } from '../shared/runs';
import { ConfigForm } from './config-form';
import { editDraft, newDraft, panel, statusColor, tab, type Config, type Draft, type Plugin } from './model';

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
    const [p, c] = await Promise.all([api.get<Plugin[]>('/connectors'), api.get<Config[]>('/connectors/configs')]);
    setPlugins(p);
    setConfigs(c);
    const entries = await Promise.all(c.map(async (x) => [x.id, await api.get<Run[]>(`/connectors/configs/${x.id}/runs?limit=10`)] as const));
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
      const detail = await api.get<RunDetail>(`/import/runs/${runId}`);
      setLog(detail);
      if (detail.status !== 'running') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, []);

  const act = async (what: () => Promise<unknown>, done: string): Promise<void> => {
    setNotice(null);
    let outcome: { text: string; error: boolean };
    try {
      await what();
      outcome = { text: done, error: false };
    } catch (e) {
      outcome = { text: (e as Error).message, error: true };
    }
    // The outcome shows with the reloaded list it speaks of, in one update.
    await reload().catch(() => undefined);
    setNotice(outcome);
  };
  const runNow = (c: Config, dryRun: boolean): Promise<void> =>
    act(async () => {
      setPreview(null);
      try {
        const r = await api.post<RunResult>(`/connectors/configs/${c.id}/run?dry_run=${dryRun ? 1 : 0}&changes=2000`);
        setPreview({ name: c.name, result: r });
        await showLog(r.run_id);
      } catch (e) {
        const latest = (await api.get<Run[]>(`/connectors/configs/${c.id}/runs?limit=1`))[0];
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
                    <Button size="sm" mr="sm" disabled={!canEdit} title={why} onClick={() => void act(() => api.patch(`/connectors/configs/${c.id}`, { enabled: !c.enabled }), `${c.name} ${c.enabled ? 'disabled' : 'enabled'}.`)} data-testid={`toggle-${c.id}`}>
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
            {logLines(log)}
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
