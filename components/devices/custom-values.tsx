import React, { useEffect, useState } from 'react';
import { api, qs } from '../shared/api';
import { Field } from '../shared/drawer';
import type { CustomFieldDefinition } from './wire';

type Value = string | number | boolean | null;

/** The custom fields that apply to a device's kind (its own and those for every kind). */
export function useCustomFields(kind: string): CustomFieldDefinition[] {
  const [defs, setDefs] = useState<CustomFieldDefinition[]>([]);
  useEffect(() => {
    api.get<CustomFieldDefinition[]>(`/custom-fields${qs({ device_kind: kind })}`).then(setDefs, () => setDefs([]));
  }, [kind]);
  return defs;
}

/** A form text as the value the field's type takes (the server checks it with the definition's zod schema). */
export function typedValue(def: CustomFieldDefinition, text: string | boolean): Value {
  if (typeof text === 'boolean') return text;
  if (text.trim() === '') return null;
  return def.type === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text.trim();
}

type Props = { defs: CustomFieldDefinition[]; values: Record<string, string | boolean>; onChange: (key: string, value: string | boolean) => void; errors: Record<string, string> };

/** One input per custom field, by its type; a field's error is the server's, at custom_fields.<key>. */
export const CustomValueFields: React.FC<Props> = ({ defs, values, onChange, errors }) => (
  <>
    {defs.map((d) => {
      const id = `cf-value-${d.key}`;
      const v = values[d.key] ?? '';
      const label = `${d.label}${d.required ? ' *' : ''}`;
      if (d.type === 'boolean')
        return (
          <label key={d.key} className="ipk-check">
            <input type="checkbox" checked={v === true} onChange={(e) => onChange(d.key, e.target.checked)} />
            <span>{label}</span>
          </label>
        );
      return (
        <Field key={d.key} label={label} error={errors[d.key]} htmlFor={id}>
          {d.type === 'select' ? (
            <select id={id} className="ipk-select" value={String(v)} onChange={(e) => onChange(d.key, e.target.value)}>
              <option value="">—</option>
              {(d.options ?? []).map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input id={id} className="ipk-input" type={d.type === 'date' ? 'date' : d.type === 'url' ? 'url' : 'text'} inputMode={d.type === 'number' ? 'decimal' : undefined} value={String(v)} onChange={(e) => onChange(d.key, e.target.value)} />
          )}
        </Field>
      );
    })}
  </>
);
