import React, { useState } from 'react';
import type { Project } from '../shared/catalog';
import { Field } from '../shared/drawer';
import { SearchPicker, type PickerOption } from '../shared/search-picker';
import { searchOwners } from './device-row';
import { KIND_CHIPS, kindLabel } from './model';

/**
 * A device's manual fields (what no source reports, and no sync changes): the edit drawer and
 * the bulk drawer both show these. Kind, OS, power and the other facts are overridden instead.
 */
export type ManualValues = { technical_owner: PickerOption | null; business_owner: PickerOption | null; project_id: string; environment: string; room_location: string; sub_location: string };
export type ManualKey = keyof ManualValues;

/** The body of a PATCH for the fields in `keys` (empty text clears a field). */
export function manualPatch(v: ManualValues, keys: Iterable<ManualKey>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === 'technical_owner' || k === 'business_owner') out[`${k}_id`] = v[k]?.id ?? null;
    // Bulk edit says "none" to clear (an empty choice there keeps each device's own).
    else if (k === 'project_id') out.project_id = v.project_id && v.project_id !== 'none' ? Number(v.project_id) : null;
    else out[k] = v[k].trim() || null;
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

type Props = { values: ManualValues; set: <K extends ManualKey>(key: K, value: ManualValues[K]) => void; errors: Record<string, string>; idPrefix: string; projects: Project[]; keep?: boolean };

/** The manual fields as form fields; with `keep` (bulk edit) an untouched field reads "(keep)". */
export const ManualFields: React.FC<Props> = ({ values, set, errors, idPrefix, projects, keep }) => {
  const text = (key: 'environment' | 'room_location' | 'sub_location', label: string): React.ReactNode => (
    <Field label={label} error={errors[key]} htmlFor={`${idPrefix}-${key}`}>
      <input id={`${idPrefix}-${key}`} className="ipk-input" value={values[key]} onChange={(e) => set(key, e.target.value)} placeholder={keep ? '(keep)' : undefined} />
    </Field>
  );
  return (
    <>
      <Field label="Technical owner" error={errors.technical_owner_id}>
        <SearchPicker value={values.technical_owner} onChange={(o) => set('technical_owner', o)} search={searchOwners} placeholder="Search owners…" clearLabel="Remove technical owner" testId={`${idPrefix}-technical-owner`} />
      </Field>
      <Field label="Business owner" error={errors.business_owner_id}>
        <SearchPicker value={values.business_owner} onChange={(o) => set('business_owner', o)} search={searchOwners} placeholder="Search owners…" clearLabel="Remove business owner" testId={`${idPrefix}-business-owner`} />
      </Field>
      <Field label="Project" error={errors.project_id} htmlFor={`${idPrefix}-project`}>
        <select id={`${idPrefix}-project`} className="ipk-select" value={values.project_id} onChange={(e) => set('project_id', e.target.value)}>
          <option value="">{keep ? '(keep)' : 'No project'}</option>
          {keep ? <option value="none">No project (clear)</option> : null}
          {projects.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      {text('environment', 'Environment')}
      {text('room_location', 'Room')}
      {text('sub_location', 'Sub-location (rack, shelf, desk)')}
    </>
  );
};
