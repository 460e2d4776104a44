import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

type Plugin = { name: string; title: string; description: string | null };
type Config = { id: number; name: string; plugin: string; options: Record<string, unknown>; cron: string | null; enabled: boolean; mode: string; running: boolean; last_status: string | null; last_error: string | null; last_run_at: string | null };
type Run = { id: number; mode: string; status: string; username: string | null; error: string | null; started_at: string; finished_at: string | null };
type RunDetail = Run & { log: { level: string; message: string; at: string }[] };

/** JSON from the REST API with the panel session cookie; errors carry the API's `detail`. */
async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, credentials: 'same-origin', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const detail = (json as { detail?: unknown } | null)?.detail;
    throw new Error(typeof detail === 'string' ? detail : Array.isArray(detail) ? detail.map((d: { loc: string[]; msg: string }) => `${d.loc.join('.')}: ${d.msg}`).join('; ') : `HTTP ${res.status}`);
  }
  return json as T;
}

const panel: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20 };
const tab = (active: boolean): React.CSSProperties => ({ padding: '8px 16px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a' });
const statusColor = (s: string | null): string => (s === 'succeeded' ? '#15803d' : s === 'failed' || s === 'rejected' || s === 'interrupted' ? '#b91c1c' : '#64748b');

/** Connectors: Overview plus one tab per connector; run now (dry-run/apply), live log, run history, schedules. */
const Connectors: React.FC = () => {
  const [plugins, setPlugins] = useState<Plugin[]>([]);
  const [configs, setConfigs] = useState<Config[]>([]);
  const [current, setCurrent] = useState<string>('overview');
  const [runs, setRuns] = useState<Record<number, Run[]>>({});
  const [log, setLog] = useState<RunDetail | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [draft, setDraft] = useState({ name: '', cron: '*/15 * * * *', mode: 'dry_run', options: '{\n  "url": ""\n}' });

  const reload = useCallback(async () => {
    const [p, c] = await Promise.all([api<Plugin[]>('GET', '/connectors'), api<Config[]>('GET', '/connectors/configs')]);
    setPlugins(p);
    setConfigs(c);
    const entries = await Promise.all(c.map(async (x) => [x.id, await api<Run[]>('GET', `/connectors/configs/${x.id}/runs?limit=10`)] as const));
    setRuns(Object.fromEntries(entries));
  }, []);
  useEffect(() => {
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
      try {
        const r = await api<{ run_id: number }>('POST', `/connectors/configs/${c.id}/run?dry_run=${dryRun ? 1 : 0}`);
        await showLog(r.run_id);
      } catch (e) {
        const latest = (await api<Run[]>('GET', `/connectors/configs/${c.id}/runs?limit=1`))[0];
        if (latest) await showLog(latest.id);
        throw e;
      }
    }, `${c.name}: ${dryRun ? 'dry-run' : 'apply'} finished.`);

  const shown = current === 'overview' ? configs : configs.filter((c) => c.plugin === current);
  const plugin = plugins.find((p) => p.name === current);
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
                  <TableCell>
                    <Button size="sm" mr="sm" onClick={() => void runNow(c, true)} data-testid={`dry-run-${c.id}`}>
                      Dry-run
                    </Button>
                    <Button size="sm" mr="sm" variant="primary" onClick={() => void runNow(c, false)}>
                      Apply
                    </Button>
                    <Button size="sm" mr="sm" onClick={() => void act(() => api('PATCH', `/connectors/configs/${c.id}`, { enabled: !c.enabled }), `${c.name} ${c.enabled ? 'disabled' : 'enabled'}.`)}>
                      {c.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => (window.confirm(`Delete "${c.name}"? Its runs are kept.`) ? void act(() => api('DELETE', `/connectors/configs/${c.id}`), `${c.name} deleted.`) : undefined)}>
                      Delete
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </div>
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
      {plugin ? (
        <div style={panel} data-testid="connector-new">
          <Text fontWeight="bold" mb="md">
            New {plugin.title} configuration
          </Text>
          <Box flex flexWrap="wrap" style={{ gap: 12 }} mb="md">
            <input placeholder="name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="new-name" />
            <input placeholder="cron" value={draft.cron} onChange={(e) => setDraft({ ...draft, cron: e.target.value })} />
            <select value={draft.mode} onChange={(e) => setDraft({ ...draft, mode: e.target.value })}>
              <option value="dry_run">dry-run</option>
              <option value="apply">apply</option>
            </select>
          </Box>
          <textarea rows={6} style={{ width: '100%', fontFamily: 'monospace' }} value={draft.options} onChange={(e) => setDraft({ ...draft, options: e.target.value })} data-testid="new-options" />
          <Text color="grey60" mb="md">
            Options as JSON (passwords and tokens are stored encrypted and never shown again; send "***" to keep them).
          </Text>
          <Button
            variant="primary"
            data-testid="new-save"
            onClick={() =>
              void act(async () => {
                const options = JSON.parse(draft.options) as Record<string, unknown>;
                await api('POST', '/connectors/configs', { name: draft.name, plugin: plugin.name, options, cron: draft.cron || null, mode: draft.mode, enabled: false });
                // The typed secrets leave the page once stored.
                setDraft({ name: '', cron: draft.cron, mode: draft.mode, options: '{\n  "url": ""\n}' });
              }, `${draft.name} saved (disabled until you enable it).`)
            }
          >
            Save
          </Button>
        </div>
      ) : null}
    </Box>
  );
};

export default Connectors;
