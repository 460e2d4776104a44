import React, { useEffect, useState } from 'react';
import { Box, Button, Text } from '@adminjs/design-system';
import { api, ApiError } from '../shared/api';
import { ChangePreview, type RunResult as Result } from '../shared/change-preview';
import { initialValues, OptionsForm, optionsFrom, type OptionValues } from '../shared/options-form';
import { FileField } from './file-field';
import { card, fieldLabel, hint, input } from '../shared/form-styles';
import { type PageData, type Plugin } from './model';
import { useRunProgress } from './run-progress';
import { SourceNotes } from './source-notes';

/** The import half: plugin, generated options form, upload, dry run / apply, preview. */
export const ImportForm: React.FC<{ page: PageData; plugins: Plugin[]; onRun: () => void }> = ({ page, plugins, onRun }) => {
  const [name, setName] = useState<string>('');
  const plugin = plugins.find((p) => p.name === name) ?? plugins[0];
  const [values, setValues] = useState<OptionValues>({});
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState<{ mode: string; since: number } | null>(null);
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
  const progress = useRunProgress(busy !== null, plugin?.name, page.username);

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
      let body: unknown = options;
      if (plugin.kind !== 'connector') {
        const form = new FormData();
        for (const f of files) form.append('file', f, f.name);
        form.append('options', JSON.stringify(options));
        body = form;
      }
      const answer = await api.post<Result>(url, body);
      setResult(answer);
      // The original's endpoints answer a refused apply with 200 and its errors.
      if (!answer.dry_run && answer.status === 'rejected') setError(`The import has ${answer.errors.length} error(s); nothing was written.`);
    } catch (e) {
      const failure = e instanceof ApiError ? e : null;
      // A refused apply still answers the plan's errors: show them like a preview.
      const refused = failure?.body as Partial<Result> | null | undefined;
      if (refused && Array.isArray(refused.errors) && refused.summary) setResult(refused as Result);
      const message = e instanceof Error ? e.message : String(e);
      setError(failure?.status === 413 ? `Too large: ${message}` : message);
    } finally {
      setBusy(null);
      onRun();
    }
  };

  if (!plugin) return <Text>Loading…</Text>;
  const importers = plugins.filter((p) => p.kind === 'importer');
  const connectors = plugins.filter((p) => p.kind === 'connector');
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
              <FileField
                accepts={plugin.accepts}
                maxUploadBytes={page.maxUploadBytes}
                files={files}
                tooBig={tooBig}
                wrongType={wrongType}
                inputKey={fileKey}
                onChoose={(chosen) => {
                  setFiles(chosen);
                  setResult(null);
                  setError(null);
                }}
              />
            ) : null}
            <SourceNotes plugin={plugin} />
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
