import React, { useEffect, useState } from 'react';
import { Box, Button, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { api } from '../shared/api';
import { logLines, type Run, type RunDetail } from '../shared/runs';
import { card, hint, mono } from '../shared/form-styles';
import { STATUS_COLORS } from './model';

/** Run history with the log of the run clicked. */
export const RunList: React.FC<{ runs: Run[]; onReload: () => void }> = ({ runs, onReload }) => {
  const [log, setLog] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (id: number): Promise<void> => {
    setError(null);
    try {
      setLog(await api.get<RunDetail>(`/import/runs/${id}`));
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
            {log.log.length ? logLines(log) : '(no log lines)'}
          </pre>
        </div>
      ) : null}
    </div>
  );
};
