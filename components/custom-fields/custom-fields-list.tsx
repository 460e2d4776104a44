import React, { useCallback, useEffect, useState } from 'react';
import { KindOptions } from '../devices/manual-fields';
import { kindLabel } from '../devices/model';
import { api, formErrors } from '../shared/api';
import { Chip } from '../shared/chip';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, ListShell, useLocalList } from '../shared/list-shell';
import { useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { toPage, type CustomFieldDefinition } from '../devices/wire';
import type { CustomFieldType } from '../../src/services/devices/wire';

const FIELD_TYPES: readonly CustomFieldType[] = ['text', 'number', 'boolean', 'date', 'url', 'select'];
type CustomField = CustomFieldDefinition;
type Mode = { kind: 'add' } | { kind: 'edit'; field: CustomField } | { kind: 'delete'; field: CustomField };

/**
 * Custom field definitions, per device kind: every role reads them (they are the device form's
 * fields and filters); only a superuser defines, changes or deletes one (the server says so too).
 */
const CustomFieldsList: React.FC = () => {
  useIpkStyles();
  const { role } = useRole();
  const canDefine = role === 'superuser';
  const [fields, setFields] = useState<CustomField[] | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(async () => {
    try {
      const { data, headers } = await api.getWithHeaders<unknown>('/custom-fields');
      setFields(toPage<CustomField>(data, headers).items);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  const { mode, setMode, notice, done } = useDrawerPage<Mode>(reload);
  useEffect(() => {
    void reload();
  }, [reload]);
  const list = useLocalList(
    fields,
    (f, needle) => f.key.toLowerCase().includes(needle) || f.label.toLowerCase().includes(needle) || (f.device_kind ?? '').includes(needle),
    (f, key) => (key === 'key' ? f.key : key === 'kind' ? (f.device_kind ?? '') : key === 'type' ? f.type : f.label),
    { key: 'key', dir: 'asc' },
  );
  return (
    <div style={{ padding: 24 }} data-testid="custom-fields-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>Custom fields</h2>
        {canDefine ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="add-custom-field">
            + Define field
          </button>
        ) : null}
      </div>
      {!canDefine ? (
        <div className="ipk-banner" role="note" data-testid="superuser-only">
          Custom fields are defined by a superuser. Their values are set on each device (Edit on the device page).
        </div>
      ) : null}
      <Notice message={notice} />
      {error ? <div className="ipk-warn">{error}</div> : null}
      <ListShell
        search={{ ...list.search, placeholder: 'Key, label or kind', label: 'Search custom fields', testId: 'custom-field-search' }}
        {...list.shell}
        columns={[
          { key: 'key', label: 'Key', width: '18%', sortable: true },
          { key: 'label', label: 'Label', width: '22%', sortable: true },
          { key: 'kind', label: 'Device kind', width: '14%', sortable: true },
          { key: 'type', label: 'Type', width: '10%', sortable: true },
          { key: 'options', label: 'Options' },
          ...(canDefine ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        testId="custom-fields-table"
        empty={<EmptyState canWrite={canDefine} message={list.needle ? 'No custom field matches.' : 'No custom fields yet.'} readerHint="A superuser defines custom fields." />}
      >
        {list.shown.map((f) => (
          <tr key={f.id} data-testid={`custom-field-row-${f.key}`}>
            <td className="ipk-mono">{f.key}</td>
            <td>
              {f.label}
              {f.required ? <span className="ipw-badge">required</span> : null}
            </td>
            <td>{f.device_kind ? kindLabel(f.device_kind) : <span className="ipk-muted">every kind</span>}</td>
            <td>
              <Chip label={f.type} />
            </td>
            <td className="ipk-wrap">{f.options?.join(', ') ?? <span className="ipk-muted">—</span>}</td>
            <RowActionsCell canWrite={canDefine} name={f.key} onEdit={() => setMode({ kind: 'edit', field: f })} onDelete={() => setMode({ kind: 'delete', field: f })} />
          </tr>
        ))}
      </ListShell>
      {mode?.kind === 'add' || mode?.kind === 'edit' ? <FieldDrawer field={mode.kind === 'edit' ? mode.field : null} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'delete' ? (
        <RecordDeleteDrawer
          title="Delete custom field"
          subtitle="Every device's value of this field goes with it."
          testId="custom-field-delete-drawer"
          path={`/custom-fields/${mode.field.id}`}
          doneMessage={`Custom field ${mode.field.key} deleted.`}
          onClose={() => setMode(null)}
          onDone={done}
          summary={[
            ['Key', mode.field.key],
            ['Label', mode.field.label],
            ['Type', mode.field.type],
          ]}
          confirmText={mode.field.key}
          riskReason="Deleting a field deletes its value on every device."
        />
      ) : null}
    </div>
  );
};

const FieldDrawer: React.FC<{ field: CustomField | null; onClose: () => void; onDone: (m: string) => void }> = ({ field, onClose, onDone }) => {
  const [key, setKey] = useState(field?.key ?? '');
  const [label, setLabel] = useState(field?.label ?? '');
  const [kind, setKind] = useState(field?.device_kind ?? '');
  const [type, setType] = useState(field?.type ?? 'text');
  const [options, setOptions] = useState(field?.options?.join(', ') ?? '');
  const [required, setRequired] = useState(field?.required ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    // Key and type stay as created (a stored value means what its type said): an edit sends the rest.
    const rest = { label: label.trim(), device_kind: kind || null, required, options: type === 'select' ? options.split(',').map((o) => o.trim()).filter(Boolean) : null };
    const body: Record<string, unknown> = field ? rest : { key: key.trim(), type, ...rest };
    try {
      if (field) await api.patch(`/custom-fields/${field.id}`, body);
      else await api.post('/custom-fields', body);
      onDone(field ? `Custom field ${field.key} saved.` : `Custom field ${key.trim()} defined.`);
    } catch (err) {
      setErrors(formErrors(err, 'key'));
    }
  };
  return (
    <Drawer open title={field ? `Edit field ${field.key}` : 'Define a custom field'} onClose={onClose} onSubmit={() => void save()} formId="custom-field-form" testId="custom-field-drawer" footer={<FormFooter formId="custom-field-form" submitLabel={field ? 'Save' : 'Define field'} onCancel={onClose} />}>
      <Field label="Key" error={errors.key} hint="Lower-case letters, digits and _, starting with a letter; fixed once defined." htmlFor="cf-key">
        <input id="cf-key" className="ipk-input ipk-mono" value={key} onChange={(e) => setKey(e.target.value)} placeholder="e.g. warranty_until" readOnly={!!field} />
      </Field>
      <Field label="Label" error={errors.label} htmlFor="cf-label">
        <input id="cf-label" className="ipk-input" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Warranty until" />
      </Field>
      <Field label="Device kind" error={errors.kind} htmlFor="cf-kind">
        <select id="cf-kind" className="ipk-select" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">Every kind</option>
          <KindOptions />
        </select>
      </Field>
      <Field label="Type" error={errors.type} htmlFor="cf-type">
        <select id="cf-type" className="ipk-select" value={type} onChange={(e) => setType(e.target.value as CustomFieldType)} disabled={!!field}>
          {FIELD_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      {type === 'select' ? (
        <Field label="Options" error={errors.options} hint="Comma-separated." htmlFor="cf-options">
          <input id="cf-options" className="ipk-input" value={options} onChange={(e) => setOptions(e.target.value)} placeholder="e.g. gold, silver, bronze" />
        </Field>
      ) : null}
      <label className="ipk-check">
        <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
        <span>Required on devices of this kind</span>
      </label>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};

export default CustomFieldsList;
