import React from 'react';
import { fieldLabel, hint, input } from './form-styles';

/** A JSON Schema property as `describeOptions` produces it (zod → JSON Schema, defaults kept, secrets writeOnly). */
export type SchemaProp = { type?: string; enum?: string[]; anyOf?: SchemaProp[]; items?: SchemaProp; default?: unknown; description?: string; writeOnly?: boolean; format?: string; minimum?: number; maximum?: number };
export type OptionsSchema = { properties?: Record<string, SchemaProp>; required?: string[] };
export type OptionValues = Record<string, string | boolean>;
type FieldKind = 'boolean' | 'enum' | 'list' | 'number' | 'secret' | 'text';

/** Stored secrets come back as this; the form never shows or resends it. */
const KEEP_SECRET = '***';

/** How a schema property is edited: checkbox, select, comma list, number, password or text. */
function kindOf(p: SchemaProp): FieldKind {
  if (p.writeOnly || p.format === 'password') return 'secret';
  const variants = p.anyOf ?? [p];
  if (variants.some((v) => v.type === 'boolean')) return 'boolean';
  if (variants.some((v) => v.type === 'array')) return 'list';
  if (p.enum) return 'enum';
  if (p.type === 'number' || p.type === 'integer') return 'number';
  return 'text';
}

const FLAG_ON = new Set(['1', 'true', 'yes', 'on']);
const asText = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** The form's starting values: the saved options where given (a configuration being edited), else the schema's defaults. */
export function initialValues(schema: OptionsSchema | undefined, saved: Record<string, unknown> = {}): OptionValues {
  const out: OptionValues = {};
  for (const [key, p] of Object.entries(schema?.properties ?? {})) {
    const kind = kindOf(p);
    const value = saved[key] !== undefined ? saved[key] : p.default;
    if (kind === 'boolean') out[key] = value === true || (typeof value === 'string' && FLAG_ON.has(value.toLowerCase()));
    else if (kind === 'secret') out[key] = '';
    else out[key] = asText(value);
  }
  return out;
}

/**
 * Form values → the options object the plugin's zod schema reads. Every checkbox is sent (an
 * unticked one as false, so a default of true can be turned off) and so is every list (an
 * emptied one as [], so default tags can be removed); empty text fields and secrets are left out
 * (a secret left empty keeps the stored one).
 */
export function optionsFrom(schema: OptionsSchema, values: OptionValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const v = values[key];
    const kind = kindOf(p);
    if (kind === 'boolean') out[key] = v === true;
    else if (kind === 'list') out[key] = String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    else if (typeof v === 'string' && v.trim() !== '') out[key] = kind === 'number' ? Number(v) : v.trim();
  }
  return out;
}

const label = (key: string): string => key.replace(/_/g, ' ').replace(/\b(tls|url|ip|ipv6|ipv4|mac)\b/gi, (w) => w.toUpperCase()).replace(/^./, (c) => c.toUpperCase());

type FieldProps = { name: string; prop: SchemaProp; required: boolean; value: string | boolean; secretSet: boolean; error?: string; disabled?: boolean; onChange: (v: string | boolean) => void };

/** One option field generated from the plugin's options schema. */
const OptionField: React.FC<FieldProps> = ({ name, prop, required, value, secretSet, error, disabled, onChange }) => {
  const kind = kindOf(prop);
  const id = `opt-${name}`;
  const title = `${label(name)}${required ? ' *' : ''}`;
  const problem = error ? (
    <div style={{ ...hint, color: '#b91c1c' }} role="alert" data-testid={`opt-error-${name}`}>
      {error}
    </div>
  ) : null;
  if (kind === 'boolean') {
    return (
      <div>
        <label htmlFor={id} style={{ ...fieldLabel, fontWeight: 400, display: 'flex', gap: 8, alignItems: 'center' }}>
          <input id={id} type="checkbox" checked={value === true} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid={id} />
          <span style={{ fontWeight: 600 }}>{label(name)}</span>
        </label>
        {prop.description ? <div style={hint}>{prop.description}</div> : null}
        {problem}
      </div>
    );
  }
  const enumValues = prop.enum ?? prop.anyOf?.find((v) => v.enum)?.enum;
  return (
    <div>
      <label htmlFor={id} style={fieldLabel}>
        {title}
        {kind === 'secret' && secretSet ? (
          <span style={{ marginLeft: 8, fontWeight: 400, color: '#15803d' }} data-testid={`secret-set-${name}`}>
            set
          </span>
        ) : null}
      </label>
      {kind === 'enum' ? (
        <select id={id} style={input} value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={id}>
          {prop.default === undefined ? <option value="">—</option> : null}
          {(enumValues ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          style={{ ...input, borderColor: error ? '#dc2626' : '#cbd5e1' }}
          type={kind === 'secret' ? 'password' : kind === 'number' ? 'number' : 'text'}
          autoComplete={kind === 'secret' ? 'new-password' : 'off'}
          min={prop.minimum}
          max={prop.maximum}
          placeholder={kind === 'list' ? 'a, b, c' : kind === 'secret' && secretSet ? 'set: leave empty to keep' : ''}
          value={String(value)}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-testid={id}
        />
      )}
      <div style={hint}>
        {prop.description ?? ''}
        {kind === 'list' ? ' (comma-separated)' : ''}
        {kind === 'secret' ? ' (stored encrypted or used once; never shown back or kept in the run history)' : ''}
      </div>
      {problem}
    </div>
  );
};

export type OptionsFormProps = {
  schema: OptionsSchema;
  values: OptionValues;
  onChange: (values: OptionValues) => void;
  /** Saved options of a configuration being edited: secrets stored there read "***". */
  saved?: Record<string, unknown>;
  /** Messages by option name (a 422's `options.<name>`). */
  errors?: Record<string, string>;
  disabled?: boolean;
};

/** The options form generated from a plugin's options schema: the Data Ops import and the Connectors configurations use it. */
export const OptionsForm: React.FC<OptionsFormProps> = ({ schema, values, onChange, saved = {}, errors = {}, disabled }) => {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  if (props.length === 0) return <div style={{ color: '#64748b', fontSize: 14 }}>This source has no options.</div>;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: 14 }}>
      {props.map(([key, prop]) => (
        <OptionField
          key={key}
          name={key}
          prop={prop}
          required={required.has(key)}
          value={values[key] ?? ''}
          secretSet={saved[key] === KEEP_SECRET}
          error={errors[key]}
          disabled={disabled}
          onChange={(v) => onChange({ ...values, [key]: v })}
        />
      ))}
    </div>
  );
};

export default OptionsForm;
