import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Button, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { ChangePreview, type RunResult as Result } from './shared/change-preview';
import { initialValues, OptionsForm, optionsFrom, type OptionsSchema, type OptionValues } from './shared/options-form';

type Plugin = {
  name: string;
  title: string;
  description: string | null;
  kind: 'importer' | 'connector';
  accepts: { extensions: string[]; fields: string[]; multiple?: boolean } | null;
  options: OptionsSchema;
};
type Run = { id: number; plugin: string; source: string | null; mode: 'dry_run' | 'apply'; status: string; username: string | null; counts: { total?: { create: number; update: number; skip: number }; errors?: number; warnings?: number } | null; error: string | null; started_at: string; finished_at: string | null };
type RunDetail = Run & { log: { level: string; message: string; at: string }[] };
type PageData = { maxUploadBytes: number; role: string; username: string | null };

/** An API failure with the server's message (and, for a refused apply, its ImportResult). */
class ApiFailure extends Error {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message);
  }
}

function detailOf(json: unknown, status: number): string {
  const detail = (json as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`).join('; ');
  return status === 413 ? 'The upload is too large.' : `HTTP ${status}`;
}

/** Same-origin call with the panel's session cookie. */
async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', ...init });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status says enough.
    json = null;
  }
  if (!res.ok) throw new ApiFailure(detailOf(json, res.status), res.status, json);
  return json as T;
}

const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
const size = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 102.4) / 10} KB` : mb(bytes));

const card: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20, boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };
const tab = (active: boolean): React.CSSProperties => ({ padding: '8px 18px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a', fontSize: 15 });
const input: React.CSSProperties = { padding: '6px 8px', border: '1px solid #cbd5e1', borderRadius: 6, fontSize: 14, minWidth: 220, background: '#fff' };
const fieldLabel: React.CSSProperties = { display: 'block', fontSize: 13, fontWeight: 600, color: '#334155', marginBottom: 4 };
const hint: React.CSSProperties = { fontSize: 12, color: '#64748b', marginTop: 3 };
const mono: React.CSSProperties = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 };
const STATUS_COLORS: Record<string, string> = { succeeded: '#15803d', failed: '#b91c1c', rejected: '#b45309', running: '#1d4ed8', interrupted: '#9f1239' };

const NMAP_EXAMPLES = ['nmap -sn -oX scan.xml 10.0.0.0/24', 'nmap -sn -PR -oX scan.xml 192.168.1.0/24', 'nmap -sT --top-ports 100 -oX scan.xml 10.0.0.0/24', 'nmap -6 -sn -oX scan.xml 2001:db8::/120'];

/** The import half: plugin, generated options form, upload, dry run / apply, preview. */
const ImportTab: React.FC<{ page: PageData; plugins: Plugin[]; onRun: () => void }> = ({ page, plugins, onRun }) => {
  const [name, setName] = useState<string>('');
  const plugin = plugins.find((p) => p.name === name) ?? plugins[0];
  const [values, setValues] = useState<OptionValues>({});
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState<{ mode: string; since: number } | null>(null);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [fileKey, setFileKey] = useState(0);

  useEffect(() => {
    setValues(initialValues(plugin?.options));
    setFiles([]);
    setFileKey((k) => k + 1);
    setResult(null);
    setError(null);
  }, [plugin?.name]);
  const [progress, setProgress] = useState<string | null>(null);
  useEffect(() => {
    if (!busy || !plugin) return undefined;
    const t = setInterval(() => setTick((n) => n + 1), 500);
    // The POST answers only when the run is over: meanwhile show the newest log line of our running run.
    let stop = false;
    const poll = async (): Promise<void> => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 1000));
        if (stop) return;
        try {
          const running = (await call<Run[]>(`/import/runs?status=running&plugin=${encodeURIComponent(plugin.name)}&limit=5`)).find((r) => r.username === page.username);
          if (running && !stop) {
            const detail = await call<RunDetail>(`/import/runs/${running.id}`);
            const last = detail.log[detail.log.length - 1];
            if (!stop) setProgress(`run #${running.id}${last ? `: ${last.message}` : ''}`);
          }
        } catch {
          // Progress is a nicety; the run's own answer reports failures.
        }
      }
    };
    void poll();
    return () => {
      stop = true;
      clearInterval(t);
      setProgress(null);
    };
  }, [busy, plugin, page.username]);

  const tooBig = files.filter((f) => f.size > page.maxUploadBytes);
  const wrongType = plugin?.accepts ? files.filter((f) => !plugin.accepts!.extensions.some((x) => f.name.toLowerCase().endsWith(x))) : [];
  const needsFile = plugin?.kind === 'importer' && files.length === 0;
  const canEdit = page.role === 'editor';
  const blocked = tooBig.length > 0 || wrongType.length > 0 || needsFile || busy !== null;

  const run = async (dryRun: boolean): Promise<void> => {
    if (!plugin) return;
    setError(null);
    setResult(null);
    setBusy({ mode: dryRun ? 'Dry run' : 'Apply', since: Date.now() });
    try {
      const options = optionsFrom(plugin.options, values);
      const url = `/import/${encodeURIComponent(plugin.name)}?dry_run=${dryRun ? 1 : 0}&changes=2000`;
      let init: RequestInit;
      if (plugin.kind === 'connector') {
        init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) };
      } else {
        const form = new FormData();
        for (const f of files) form.append('file', f, f.name);
        form.append('options', JSON.stringify(options));
        init = { method: 'POST', body: form };
      }
      const answer = await call<Result>(url, init);
      setResult(answer);
      // The original's endpoints answer a refused apply with 200 and its errors.
      if (!answer.dry_run && answer.status === 'rejected') setError(`The import has ${answer.errors.length} error(s); nothing was written.`);
    } catch (e) {
      const failure = e as ApiFailure;
      // A refused apply still answers the plan's errors: show them like a preview.
      const body = failure.body as Partial<Result> | null;
      if (body && Array.isArray(body.errors) && body.summary) setResult(body as Result);
      setError(failure.status === 413 ? `Too large: ${failure.message}` : failure.message);
    } finally {
      setBusy(null);
      onRun();
    }
  };

  if (!plugin) return <Text>Loading…</Text>;
  const importers = plugins.filter((p) => p.kind === 'importer');
  const connectors = plugins.filter((p) => p.kind === 'connector');
  void tick;
  return (
    <>
      <div style={card}>
        <Box flex style={{ gap: 32, alignItems: 'flex-start' }} flexWrap="wrap">
          <div style={{ flex: '1 1 360px' }}>
            <label htmlFor="plugin" style={fieldLabel}>
              Source
            </label>
            <select id="plugin" style={{ ...input, minWidth: 300 }} value={plugin.name} onChange={(e) => setName(e.target.value)} data-testid="plugin-select">
              <optgroup label="Files">
                {importers.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.title}
                  </option>
                ))}
              </optgroup>
              {connectors.length ? (
                <optgroup label="Connectors">
                  {connectors.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.title}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
            {plugin.description ? <div style={{ ...hint, fontSize: 13, maxWidth: 560 }}>{plugin.description}</div> : null}

            {plugin.accepts ? (
              <div style={{ marginTop: 18 }}>
                <label htmlFor="import-file" style={fieldLabel}>
                  {plugin.accepts.multiple ? 'Files' : 'File'} ({plugin.accepts.extensions.join(', ')}, at most {mb(page.maxUploadBytes)} each)
                </label>
                <input
                  key={fileKey}
                  id="import-file"
                  type="file"
                  accept={plugin.accepts.extensions.join(',')}
                  multiple={plugin.accepts.multiple === true}
                  onChange={(e) => {
                    setFiles(Array.from(e.target.files ?? []));
                    setResult(null);
                    setError(null);
                  }}
                  data-testid="import-file"
                />
                {files.map((f) => (
                  <div key={f.name} style={{ ...hint, fontSize: 13 }}>
                    {f.name} · {size(f.size)}
                  </div>
                ))}
                {tooBig.length ? (
                  <div style={{ color: '#b91c1c', fontSize: 13, marginTop: 6 }} data-testid="upload-too-large">
                    {tooBig.map((f) => `${f.name} is ${size(f.size)}`).join('; ')}: larger than the upload limit of {mb(page.maxUploadBytes)} (IPOCKET_MAX_UPLOAD_MB).
                  </div>
                ) : null}
                {wrongType.length ? (
                  <div style={{ color: '#b91c1c', fontSize: 13, marginTop: 6 }}>
                    {wrongType.map((f) => f.name).join(', ')}: this source reads {plugin.accepts.extensions.join(', ')} files.
                  </div>
                ) : null}
              </div>
            ) : null}
            {plugin.name === 'csv' ? (
              <div style={{ ...hint, fontSize: 13, marginTop: 12 }} data-testid="csv-templates">
                Templates with the expected headers:{' '}
                <a href="/static/samples/hosts.csv" download style={{ whiteSpace: 'nowrap' }}>
                  hosts.csv
                </a>{' '}
                and{' '}
                <a href="/static/samples/ip-assets.csv" download style={{ whiteSpace: 'nowrap' }}>
                  ip-assets.csv
                </a>
                . Projects and vendors the rows name are created.
              </div>
            ) : null}
            {plugin.name === 'nmap' ? (
              <div style={{ marginTop: 18 }} data-testid="nmap-examples">
                <div style={fieldLabel}>Produce the XML on a machine that may scan (examples, run them yourself):</div>
                <pre style={{ ...mono, background: '#0f172a', color: '#e2e8f0', padding: 10, borderRadius: 8, margin: 0, whiteSpace: 'pre-wrap' }}>{NMAP_EXAMPLES.join('\n')}</pre>
                <div style={hint}>Up hosts become IPs (type OTHER unless the MAC vendor says VM/OS); hostnames, open ports and the MAC vendor go to notes and tags.</div>
              </div>
            ) : null}
            {plugin.kind === 'connector' ? (
              <div style={{ ...hint, fontSize: 13, marginTop: 12 }}>
                A one-off run with these options. Saved, scheduled configurations live on the <a href="/ui/pages/connectors">Connectors</a> page.
              </div>
            ) : null}
          </div>
          <div style={{ flex: '2 1 520px' }} data-testid="options-form">
            <div style={{ ...fieldLabel, fontSize: 14, marginBottom: 10 }}>Options</div>
            <OptionsForm schema={plugin.options} values={values} onChange={setValues} />
          </div>
        </Box>
        <Box flex style={{ gap: 12, alignItems: 'center', borderTop: '1px solid #e2e8f0', paddingTop: 16, marginTop: 18 }}>
          <Button variant="outlined" onClick={() => void run(true)} disabled={blocked} data-testid="dry-run">
            Dry run
          </Button>
          <Button variant="contained" onClick={() => void run(false)} disabled={blocked || !canEdit} title={canEdit ? 'Write the changes in one transaction' : 'Applying an import needs the editor role'} data-testid="apply">
            Apply
          </Button>
          {!canEdit ? (
            <span style={{ fontSize: 13, color: '#b45309' }} data-testid="apply-reason">
              Apply needs the editor role (you are {page.role}); a dry run shows what would change.
            </span>
          ) : null}
          {needsFile && !busy ? <span style={{ fontSize: 13, color: '#64748b' }}>Choose a file first.</span> : null}
          {busy ? (
            <span role="status" style={{ fontSize: 13, color: '#1d4ed8' }} data-testid="run-status">
              {busy.mode} running… {Math.floor((Date.now() - busy.since) / 1000)} s{progress ? ` · ${progress}` : ''}
            </span>
          ) : null}
        </Box>
      </div>
      {error ? (
        <div style={{ ...card, background: '#fee2e2', color: '#7f1d1d' }} role="alert" data-testid="import-error">
          {error}
        </div>
      ) : null}
      {result ? <ChangePreview result={result} /> : null}
    </>
  );
};

/** Run history with the log of the run clicked. */
const History: React.FC<{ runs: Run[]; onReload: () => void }> = ({ runs, onReload }) => {
  const [log, setLog] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (id: number): Promise<void> => {
    setError(null);
    try {
      setLog(await call<RunDetail>(`/import/runs/${id}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // A link to one run (an IP's history names the run that changed it): /ui/pages/data-ops#run-12.
  useEffect(() => {
    const linked = /^#run-(\d+)$/.exec(window.location.hash);
    if (linked) void open(Number(linked[1]));
  }, []);
  return (
    <div style={card} data-testid="run-history">
      <Box flex style={{ justifyContent: 'space-between', alignItems: 'center' }} mb="md">
        <Text fontWeight="bold">Run history</Text>
        <Button size="sm" onClick={onReload}>
          Refresh
        </Button>
      </Box>
      {error ? <Text color="error">{error}</Text> : null}
      {runs.length === 0 ? <Text color="grey60">No runs yet.</Text> : null}
      {runs.length ? (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Run</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Mode</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Create / update / skip</TableCell>
              <TableCell>Errors</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map((r) => (
              <TableRow key={r.id} onClick={() => void open(r.id)} style={{ cursor: 'pointer', background: log?.id === r.id ? '#eff6ff' : undefined }} data-testid={`run-${r.id}`}>
                <TableCell>
                  <a href={`#run-${r.id}`} onClick={(e) => e.preventDefault()}>
                    #{r.id}
                  </a>
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>{r.started_at.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '')}</TableCell>
                <TableCell>{r.username ?? '—'}</TableCell>
                <TableCell>
                  {r.plugin}
                  {r.source ? <div style={{ ...hint, marginTop: 0 }}>{r.source}</div> : null}
                </TableCell>
                <TableCell>{r.mode === 'apply' ? 'apply' : 'dry run'}</TableCell>
                <TableCell>
                  <span style={{ color: STATUS_COLORS[r.status] ?? '#475569', fontWeight: 600 }}>{r.status}</span>
                  {/* Why a run stopped without finishing (a crash or shutdown): said where the history is read. */}
                  {r.status === 'interrupted' && r.error ? <div style={{ ...hint, marginTop: 2, maxWidth: 360 }}>{r.error}</div> : null}
                </TableCell>
                <TableCell style={{ fontVariantNumeric: 'tabular-nums' }}>{r.counts?.total ? `${r.counts.total.create} / ${r.counts.total.update} / ${r.counts.total.skip}` : '—'}</TableCell>
                <TableCell>{r.counts?.errors ?? (r.error ? '1' : '0')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {log ? (
        <div data-testid="run-log" style={{ marginTop: 16 }}>
          <Text fontWeight="bold" mb="sm">
            Run #{log.id} log ({log.plugin}, {log.mode === 'apply' ? 'apply' : 'dry run'}, <span style={{ color: STATUS_COLORS[log.status] ?? '#475569' }}>{log.status}</span>)
            {log.error ? `: ${log.error}` : ''}
          </Text>
          <pre style={{ ...mono, whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto', background: '#0f172a', color: '#e2e8f0', padding: 12, borderRadius: 8, margin: 0 }}>
            {log.log.length ? log.log.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.message}`).join('\n') : '(no log lines)'}
          </pre>
        </div>
      ) : null}
    </div>
  );
};

const DATASETS = [
  ['ip-assets', 'IP addresses'],
  ['hosts', 'Hosts'],
  ['vendors', 'Vendors'],
  ['projects', 'Projects'],
  ['tags', 'Tags'],
  ['ranges', 'Ranges'],
  ['bundle', 'Everything (bundle)'],
] as const;
const TYPES = ['VM', 'OS', 'BMC', 'VIP', 'OTHER'] as const;

/** The export half: dataset, format, filters and a same-origin download link (streamed by the server). */
const ExportTab: React.FC = () => {
  const [dataset, setDataset] = useState<string>('ip-assets');
  const [format, setFormat] = useState<string>('csv');
  const [archived, setArchived] = useState(false);
  const [types, setTypes] = useState<string[]>([]);
  const [project, setProject] = useState('');
  const [host, setHost] = useState('');
  const [projects, setProjects] = useState<string[]>([]);
  useEffect(() => {
    call<{ name: string }[]>('/projects')
      .then((p) => setProjects(p.map((x) => x.name)))
      .catch(() => setProjects([]));
  }, []);
  const formats = dataset === 'bundle' ? ['json', 'zip'] : ['csv', 'json'];
  const fmt = formats.includes(format) ? format : formats[0]!;
  const filtered = dataset === 'ip-assets' || dataset === 'bundle';
  const href = useMemo(() => {
    const q = new URLSearchParams();
    if (filtered) {
      if (archived) q.set('include_archived', '1');
      if (types.length) q.set('type', types.join(','));
      if (project.trim()) q.set('project', project.trim());
      if (host.trim()) q.set('host', host.trim());
    }
    const qs = q.toString();
    return `/export/${dataset}.${fmt}${qs ? `?${qs}` : ''}`;
  }, [dataset, fmt, archived, types, project, host, filtered]);
  return (
    <div style={card} data-testid="export-tab">
      <Box flex style={{ gap: 28 }} flexWrap="wrap" mb="lg">
        <div>
          <label htmlFor="export-dataset" style={fieldLabel}>
            Dataset
          </label>
          <select id="export-dataset" style={input} value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="export-dataset">
            {DATASETS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <div style={fieldLabel}>Format</div>
          <Box flex style={{ gap: 14, paddingTop: 6 }}>
            {formats.map((f) => (
              <label key={f} style={{ fontSize: 14, display: 'flex', gap: 6, alignItems: 'center' }}>
                <input type="radio" name="export-format" value={f} checked={fmt === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} />
                {f.toUpperCase()}
              </label>
            ))}
          </Box>
        </div>
        <div>
          <div style={fieldLabel}>Archived</div>
          <label style={{ fontSize: 14, display: 'flex', gap: 6, alignItems: 'center', paddingTop: 6 }}>
            <input type="checkbox" disabled={!filtered} checked={archived} onChange={(e) => setArchived(e.target.checked)} data-testid="export-archived" />
            include archived IPs
          </label>
        </div>
      </Box>
      <div style={{ opacity: filtered ? 1 : 0.5 }}>
        <div style={{ ...fieldLabel, fontSize: 14, marginBottom: 10 }}>Filters {filtered ? (dataset === 'bundle' ? '(the bundle\'s IP addresses)' : '') : '(only for IP addresses and bundles)'}</div>
        <Box flex style={{ gap: 28 }} flexWrap="wrap" mb="lg">
          <div>
            <div style={fieldLabel}>Type</div>
            <Box flex style={{ gap: 12, paddingTop: 6 }}>
              {TYPES.map((t) => (
                <label key={t} style={{ fontSize: 14, display: 'flex', gap: 4, alignItems: 'center' }}>
                  <input type="checkbox" disabled={!filtered} checked={types.includes(t)} onChange={(e) => setTypes((old) => (e.target.checked ? [...old, t] : old.filter((x) => x !== t)))} />
                  {t}
                </label>
              ))}
            </Box>
          </div>
          <div>
            <label htmlFor="export-project" style={fieldLabel}>
              Project
            </label>
            <input id="export-project" list="export-projects" style={input} disabled={!filtered} placeholder="any project" value={project} onChange={(e) => setProject(e.target.value)} />
            <datalist id="export-projects">
              {['unassigned', ...projects].map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          </div>
          <div>
            <label htmlFor="export-host" style={fieldLabel}>
              Host
            </label>
            <input id="export-host" style={input} disabled={!filtered} placeholder="any host name" value={host} onChange={(e) => setHost(e.target.value)} />
          </div>
        </Box>
      </div>
      <Box flex style={{ gap: 16, alignItems: 'center', borderTop: '1px solid #e2e8f0', paddingTop: 16 }}>
        <a href={href} download={`${dataset}.${fmt}`} data-testid="export-link" style={{ background: '#1d4ed8', color: '#fff', padding: '9px 18px', borderRadius: 6, textDecoration: 'none', fontWeight: 600, fontSize: 14 }}>
          Download {dataset}.{fmt}
        </a>
        <code style={{ ...mono, fontSize: 13, color: '#475569' }} data-testid="export-url">
          GET {href}
        </code>
      </Box>
      <div style={{ ...hint, fontSize: 13, marginTop: 12 }}>
        Streamed by the server. Scripts use the same URL with a bearer token. CSV cells starting with = + - @ are escaped. A bundle re-imported (Import tab, ipocket bundle) reproduces hosts, tags, colours and ranges.
      </div>
    </div>
  );
};

/** Data Ops: Import (any importer or connector, dry run / apply, preview, history) and Export. */
const DataOps: React.FC = () => {
  const [tabName, setTab] = useState<'import' | 'export'>(() => (typeof window !== 'undefined' && window.location.hash === '#export' ? 'export' : 'import'));
  const [page, setPage] = useState<PageData | null>(null);
  const [plugins, setPlugins] = useState<Plugin[]>([]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reloadRuns = useCallback(() => {
    call<Run[]>('/import/runs?limit=25')
      .then(setRuns)
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    new ApiClient()
      .getPage<PageData>({ pageName: 'data-ops' })
      .then((res) => setPage(res.data))
      .catch(() => setError('Could not load the page.'));
    call<Plugin[]>('/import/plugins')
      .then(setPlugins)
      .catch((e: Error) => setError(e.message));
    reloadRuns();
  }, [reloadRuns]);

  const select = (t: 'import' | 'export'): void => {
    setTab(t);
    window.history.replaceState(null, '', `#${t}`);
  };
  return (
    <Box variant="grey" data-testid="data-ops">
      <H2 mb="lg">Data Ops</H2>
      <Box mb="lg" style={{ borderBottom: '1px solid #e2e8f0' }}>
        <button type="button" style={tab(tabName === 'import')} onClick={() => select('import')} data-testid="tab-import">
          Import
        </button>
        <button type="button" style={tab(tabName === 'export')} onClick={() => select('export')} data-testid="tab-export">
          Export
        </button>
      </Box>
      {error ? (
        <div style={{ ...card, background: '#fee2e2', color: '#7f1d1d' }} role="alert">
          {error}
        </div>
      ) : null}
      {tabName === 'import' ? (
        page && plugins.length ? (
          <>
            <ImportTab page={page} plugins={plugins} onRun={reloadRuns} />
            <History runs={runs} onReload={reloadRuns} />
          </>
        ) : (
          <Text>Loading…</Text>
        )
      ) : (
        <ExportTab />
      )}
    </Box>
  );
};

export default DataOps;
