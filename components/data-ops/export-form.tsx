import React, { useEffect, useMemo, useState } from 'react';
import { Box } from '@adminjs/design-system';
import { ASSET_TYPES } from '../../src/domain/asset-types';
import { api } from '../shared/api';
import { card, fieldLabel, hint, input, mono } from '../shared/form-styles';

const DATASETS = [
  ['ip-assets', 'IP addresses'],
  ['hosts', 'Hosts'],
  ['vendors', 'Vendors'],
  ['projects', 'Projects'],
  ['tags', 'Tags'],
  ['ranges', 'Ranges'],
  ['bundle', 'Everything (bundle)'],
] as const;

/** The export half: dataset, format, filters and a same-origin download link (streamed by the server). */
export const ExportForm: React.FC = () => {
  const [dataset, setDataset] = useState<string>('ip-assets');
  const [format, setFormat] = useState<string>('csv');
  const [archived, setArchived] = useState(false);
  const [types, setTypes] = useState<string[]>([]);
  const [project, setProject] = useState('');
  const [host, setHost] = useState('');
  const [projects, setProjects] = useState<string[]>([]);
  useEffect(() => {
    api
      .get<{ name: string }[]>('/projects')
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
              {ASSET_TYPES.map((t) => (
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
