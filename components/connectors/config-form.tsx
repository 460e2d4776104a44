import React, { useEffect, useRef, useState } from 'react';
import { Box, Button, Text } from '@adminjs/design-system';
import { api, ApiError, issuePath } from '../shared/api';
import { OptionsForm, optionsFrom } from '../shared/options-form';
import { fieldLabel, inputBase as input } from '../shared/form-styles';
import { panel, type Draft, type Plugin } from './model';

/** The configuration form: name, schedule, and the options form generated from the connector's schema. */
export const ConfigForm: React.FC<{ plugin: Plugin; draft: Draft; onChange: (d: Draft) => void; onSaved: (message: string) => void; onCancel: () => void }> = ({ plugin, draft, onChange, onSaved, onCancel }) => {
  const [errors, setErrors] = useState<{ fields: Record<string, string>; options: Record<string, string>; other: string | null }>({ fields: {}, options: {}, other: null });
  const box = useRef<HTMLDivElement>(null);
  // Edit is clicked in the table above: bring the form into view.
  useEffect(() => {
    if (draft.id !== null) box.current?.scrollIntoView({ block: 'start' });
  }, [draft.id]);
  const save = async (): Promise<void> => {
    const body = { name: draft.name, options: optionsFrom(plugin.options, draft.values), cron: draft.cron.trim() || null, mode: draft.mode, enabled: draft.enabled };
    try {
      if (draft.id === null) await api.post('/connectors/configs', { ...body, plugin: plugin.name });
      else await api.patch(`/connectors/configs/${draft.id}`, body);
      setErrors({ fields: {}, options: {}, other: null });
      onSaved(draft.id === null ? `${draft.name} saved${draft.enabled ? '' : ' (disabled until you enable it)'}.` : `${draft.name} saved.`);
    } catch (e) {
      const next = { fields: {} as Record<string, string>, options: {} as Record<string, string>, other: null as string | null };
      for (const issue of e instanceof ApiError ? e.issues : []) {
        const [field, key] = issuePath(issue);
        if (field === 'options' && key) next.options[key] ??= issue.msg ?? 'is not valid';
        else if (field) next.fields[field] ??= issue.msg ?? 'is not valid';
      }
      if (!Object.keys(next.fields).length && !Object.keys(next.options).length) next.other = e instanceof Error ? e.message : String(e);
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
