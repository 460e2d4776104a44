import React, { useCallback, useEffect, useState } from 'react';
import { Box, H2, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { api } from '../shared/api';
import type { Run } from '../shared/runs';
import { ExportForm } from './export-form';
import { ImportForm } from './import-form';
import { card } from '../shared/form-styles';
import { type PageData, type Plugin } from './model';
import { RunList } from './run-list';

const tab = (active: boolean): React.CSSProperties => ({ padding: '8px 18px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a', fontSize: 15 });

/** Data Ops: Import (any importer or connector, dry run / apply, preview, history) and Export. */
const DataOps: React.FC = () => {
  const [tabName, setTab] = useState<'import' | 'export'>(() => (typeof window !== 'undefined' && window.location.hash === '#export' ? 'export' : 'import'));
  const [page, setPage] = useState<PageData | null>(null);
  const [plugins, setPlugins] = useState<Plugin[]>([]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reloadRuns = useCallback(() => {
    api
      .get<Run[]>('/import/runs?limit=25')
      .then(setRuns)
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    new ApiClient()
      .getPage<PageData>({ pageName: 'data-ops' })
      .then((res) => setPage(res.data))
      .catch(() => setError('Could not load the page.'));
    api
      .get<Plugin[]>('/import/plugins')
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
            <ImportForm page={page} plugins={plugins} onRun={reloadRuns} />
            <RunList runs={runs} onReload={reloadRuns} />
          </>
        ) : (
          <Text>Loading…</Text>
        )
      ) : (
        <ExportForm />
      )}
    </Box>
  );
};

export default DataOps;
