import React, { useState } from 'react';
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { Chip } from './chip';
import { card, hint, mono } from './form-styles';

type Would = { would_create: number; would_update: number; would_skip: number };
type Issue = { location: string; message: string; level: string };
type FieldValue = string | number | boolean | null | undefined | string[];
type Change = { entity: string; key: string; action: 'CREATE' | 'UPDATE' | 'SKIP' | 'MISSING'; location: string; changes: { field: string; before: FieldValue; after: FieldValue }[] };
/** What an import or connector run answers (`toImportResult`): counts, issues, per-record changes. */
export type RunResult = { summary: Record<string, Would>; errors: Issue[]; warnings: Issue[]; run_id: number; dry_run: boolean; applied: boolean; status: string; changes: Change[]; changes_omitted: number };

const show = (v: FieldValue): string => (v === null || v === undefined || v === '' ? '(empty)' : Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : String(v));
const tab = (active: boolean): React.CSSProperties => ({ padding: '4px 10px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a', fontSize: 13 });
const ACTION_COLORS: Record<string, [string, string]> = { CREATE: ['#dcfce7', '#166534'], UPDATE: ['#dbeafe', '#1e40af'], SKIP: ['#f1f5f9', '#475569'], MISSING: ['#fef3c7', '#92400e'] };

/** A planned change's action in the plan's own palette (lighter than the audit log's). */
const ActionChip: React.FC<{ action: string }> = ({ action }) => {
  const [bg, fg] = ACTION_COLORS[action] ?? ['#f1f5f9', '#475569'];
  return <Chip label={action} color={bg} textColor={fg} strong />;
};

/** The preview (or outcome) of one run: counts, errors and warnings with locations, per-record changes with diffs. */
export const ChangePreview: React.FC<{ result: RunResult }> = ({ result }) => {
  const [only, setOnly] = useState<'all' | 'CREATE' | 'UPDATE'>('all');
  const total = result.summary.total ?? { would_create: 0, would_update: 0, would_skip: 0 };
  const entities = Object.entries(result.summary).filter(([e, c]) => e !== 'total' && c.would_create + c.would_update + c.would_skip > 0);
  const rows = result.changes.filter((c) => only === 'all' || c.action === only);
  const verb = result.applied ? '' : 'would ';
  return (
    <div style={card} data-testid="import-preview">
      <Text fontWeight="bold" mb="md">
        {result.applied ? `Applied (run #${result.run_id})` : result.dry_run ? `Dry run (run #${result.run_id}): nothing was written` : `Not applied (run #${result.run_id}): nothing was written`}
      </Text>
      <Box flex style={{ gap: 12 }} mb="lg" data-testid="preview-counts">
        {(
          [
            ['CREATE', total.would_create],
            ['UPDATE', total.would_update],
            ['SKIP', total.would_skip],
          ] as const
        ).map(([a, n]) => (
          <div key={a} style={{ background: ACTION_COLORS[a]![0], color: ACTION_COLORS[a]![1], borderRadius: 8, padding: '10px 16px', minWidth: 130 }} data-testid={`count-${a}`}>
            <div style={{ fontSize: 12, fontWeight: 600 }}>
              {verb}
              {a.toLowerCase()}
            </div>
            <div style={{ fontSize: 24, fontWeight: 600, lineHeight: '32px', fontVariantNumeric: 'tabular-nums' }}>{n.toLocaleString('en-US')}</div>
          </div>
        ))}
        <div style={{ background: result.errors.length ? '#fee2e2' : '#f8fafc', color: result.errors.length ? '#991b1b' : '#475569', borderRadius: 8, padding: '10px 16px', minWidth: 130 }}>
          <div style={{ fontSize: 12, fontWeight: 600 }}>errors / warnings</div>
          <div style={{ fontSize: 24, fontWeight: 600, lineHeight: '32px' }}>
            {result.errors.length} / {result.warnings.length}
          </div>
        </div>
        {entities.length ? (
          <div style={{ fontSize: 13, color: '#475569', alignSelf: 'center', marginLeft: 8 }}>
            {entities.map(([e, c]) => (
              <div key={e}>
                <b>{e.replace('_', ' ')}</b>: {c.would_create} create, {c.would_update} update, {c.would_skip} skip
              </div>
            ))}
          </div>
        ) : null}
      </Box>
      {result.errors.length ? (
        <div data-testid="import-errors" style={{ background: '#fef2f2', border: '1px solid #fecaca', borderRadius: 8, padding: 12, marginBottom: 16 }}>
          <Text fontWeight="bold" mb="sm" style={{ color: '#991b1b' }}>
            {result.errors.length} error(s): {result.dry_run ? 'an apply would be refused' : 'nothing was written'}
          </Text>
          {result.errors.slice(0, 200).map((e, i) => (
            <div key={i} style={{ fontSize: 13, marginBottom: 2 }}>
              <span style={{ ...mono, color: '#7f1d1d' }}>{e.location}</span> {e.message}
            </div>
          ))}
          {result.errors.length > 200 ? <div style={hint}>… and {result.errors.length - 200} more</div> : null}
        </div>
      ) : null}
      {result.warnings.length ? (
        <div data-testid="import-warnings" style={{ background: '#fffbeb', border: '1px solid #fde68a', borderRadius: 8, padding: 12, marginBottom: 16 }}>
          <Text fontWeight="bold" mb="sm" style={{ color: '#92400e' }}>
            {result.warnings.length} warning(s)
          </Text>
          {result.warnings.slice(0, 100).map((w, i) => (
            <div key={i} style={{ fontSize: 13, marginBottom: 2 }}>
              <span style={{ ...mono, color: '#78350f' }}>{w.location}</span> {w.message}
            </div>
          ))}
        </div>
      ) : null}
      {result.changes.length ? (
        <>
          <Box flex style={{ gap: 6, alignItems: 'center' }} mb="sm">
            <span style={{ fontSize: 13, color: '#475569', marginRight: 4 }}>Show</span>
            {(['all', 'CREATE', 'UPDATE'] as const).map((a) => (
              <button key={a} type="button" onClick={() => setOnly(a)} style={tab(only === a)} data-testid={`show-${a}`}>
                {a === 'all' ? 'all changes' : a}
              </button>
            ))}
          </Box>
          <div style={{ maxHeight: 520, overflow: 'auto' }}>
            <Table data-testid="preview-table">
              <TableHead>
                <TableRow>
                  <TableCell>Action</TableCell>
                  <TableCell>Record</TableCell>
                  <TableCell>Key</TableCell>
                  <TableCell>Source</TableCell>
                  <TableCell>Changes</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((c, i) => (
                  <TableRow key={i} data-action={c.action}>
                    <TableCell>
                      <ActionChip action={c.action} />
                    </TableCell>
                    <TableCell>{c.entity.replace('_', ' ')}</TableCell>
                    <TableCell style={{ ...mono, fontSize: 13 }}>{c.key}</TableCell>
                    <TableCell style={{ ...mono, color: '#64748b' }}>{c.location}</TableCell>
                    <TableCell>
                      {c.changes.map((f) => (
                        <div key={f.field} style={{ fontSize: 13 }}>
                          <b>{f.field}</b>:{' '}
                          {c.action === 'CREATE' ? (
                            <span>{show(f.after)}</span>
                          ) : (
                            <>
                              <span style={{ color: '#b91c1c', textDecoration: 'line-through' }}>{show(f.before)}</span> → <span style={{ color: '#15803d' }}>{show(f.after)}</span>
                            </>
                          )}
                        </div>
                      ))}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {result.changes_omitted ? <div style={hint}>{result.changes_omitted.toLocaleString('en-US')} more change(s) not listed (the counts above include them).</div> : null}
        </>
      ) : (
        <Text color="grey60">{total.would_create + total.would_update === 0 ? 'No record would change.' : ''}</Text>
      )}
    </div>
  );
};


export default ChangePreview;
