import React, { useState } from 'react';
import { Field } from '../shared/drawer';
import { SearchPicker, type PickerOption } from '../shared/search-picker';
import { searchOwners } from './device-row';
import { KIND_CHIPS, kindLabel } from './model';

/** A device's manual fields (what no source reports): the edit drawer and the bulk drawer both show these. */
export type ManualValues = { kind: string; technical_owner: PickerOption | null; business_owner: PickerOption | null; project: string; environment: string; room: string; sub_location: string };
export type ManualKey = keyof ManualValues;

/** The body of a PATCH for the fields in `keys` (empty text clears a field). */
export function manualPatch(v: ManualValues, keys: Iterable<ManualKey>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === 'technical_owner' || k === 'business_owner') out[`${k}_id`] = v[k]?.id ?? null;
    else if (k === 'kind') {
      if (v.kind) out.kind = v.kind;
    } else out[k] = v[k].trim() || null;
  }
  return out;
}

/** The form state of the manual fields and which of them the user changed (only those are sent). */
export function useManualForm(start: ManualValues): { values: ManualValues; touched: Set<ManualKey>; set: <K extends ManualKey>(key: K, value: ManualValues[K]) => void } {
  const [values, setValues] = useState<ManualValues>(start);
  const [touched, setTouched] = useState<Set<ManualKey>>(new Set());
  const set = <K extends ManualKey>(key: K, value: ManualValues[K]): void => {
    setValues((v) => ({ ...v, [key]: value }));
    setTouched((t) => new Set(t).add(key));
  };
  return { values, touched, set };
}

/** One <option> per device kind. */
export const KindOptions: React.FC = () => (
  <>
    {KIND_CHIPS.map((k) => (
      <option key={k.kind} value={k.kind}>
        {kindLabel(k.kind)}
      </option>
    ))}
  </>
);

type Props = { values: ManualValues; set: <K extends ManualKey>(key: K, value: ManualValues[K]) => void; errors: Record<string, string>; idPrefix: string; keep?: boolean };

/** The manual fields as form fields; with `keep` (bulk edit) an untouched field reads "(keep)". */
export const ManualFields: React.FC<Props> = ({ values, set, errors, idPrefix, keep }) => {
  const text = (key: 'project' | 'environment' | 'room' | 'sub_location', label: string): React.ReactNode => (
    <Field label={label} error={errors[key]} htmlFor={`${idPrefix}-${key}`}>
      <input id={`${idPrefix}-${key}`} className="ipk-input" value={values[key]} onChange={(e) => set(key, e.target.value)} placeholder={keep ? '(keep)' : undefined} />
    </Field>
  );
  return (
    <>
      <Field label="Kind" error={errors.kind} htmlFor={`${idPrefix}-kind`}>
        <select id={`${idPrefix}-kind`} className="ipk-select" value={values.kind} onChange={(e) => set('kind', e.target.value)}>
          {keep ? <option value="">(keep)</option> : null}
          <KindOptions />
        </select>
      </Field>
      <Field label="Technical owner" error={errors.technical_owner_id}>
        <SearchPicker value={values.technical_owner} onChange={(o) => set('technical_owner', o)} search={searchOwners} placeholder="Search owners…" testId={`${idPrefix}-technical-owner`} />
      </Field>
      <Field label="Business owner" error={errors.business_owner_id}>
        <SearchPicker value={values.business_owner} onChange={(o) => set('business_owner', o)} search={searchOwners} placeholder="Search owners…" testId={`${idPrefix}-business-owner`} />
      </Field>
      {text('project', 'Project')}
      {text('environment', 'Environment')}
      {text('room', 'Room')}
      {text('sub_location', 'Sub-location (rack, shelf, desk)')}
    </>
  );
};
