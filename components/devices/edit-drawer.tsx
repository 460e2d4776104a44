import React, { useState } from 'react';
import { api, ApiError, formErrors, issuePath } from '../shared/api';
import type { Project } from '../shared/catalog';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { CustomValueFields, typedValue, useCustomFields } from './custom-values';
import { ManualFields, manualPatch, useManualForm } from './manual-fields';
import type { DeviceDetail } from './wire';

type Props = { device: DeviceDetail; projects: Project[]; onClose: () => void; onSaved: (message: string) => void };

const picked = (o: DeviceDetail['technical_owner']) => (o ? { id: o.id, label: o.full_name } : null);

/** Edits a device's manual fields, asset tag, notes and tags (PATCH /devices/{id}, only what changed). Facts are overridden on the Facts tab. */
export const DeviceEditDrawer: React.FC<Props> = ({ device: d, projects, onClose, onSaved }) => {
  const { values, touched, set } = useManualForm({
    technical_owner: picked(d.technical_owner),
    business_owner: picked(d.business_owner),
    project_id: d.project_id ? String(d.project_id) : '',
    environment: d.environment ?? '',
    room_location: d.room_location ?? '',
    sub_location: d.sub_location ?? '',
  });
  const [name, setName] = useState(d.name);
  const [assetTag, setAssetTag] = useState(d.asset_tag ?? '');
  const [notes, setNotes] = useState(d.notes ?? '');
  const [tags, setTags] = useState(d.tags.join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const defs = useCustomFields(d.kind);
  const start = Object.fromEntries(Object.entries(d.custom_fields).map(([k, v]) => [k, typeof v === 'boolean' ? v : v === null ? '' : String(v)]));
  const [custom, setCustom] = useState<Record<string, string | boolean>>(start);
  const save = async (): Promise<void> => {
    const body = manualPatch(values, touched);
    const changed = defs.filter((def) => (custom[def.key] ?? '') !== (start[def.key] ?? ''));
    if (changed.length) body.custom_fields = Object.fromEntries(changed.map((def) => [def.key, typedValue(def, custom[def.key] ?? '')]));
    if (name.trim() !== d.name) body.name = name.trim();
    if (assetTag.trim() !== (d.asset_tag ?? '')) body.asset_tag = assetTag.trim() || null;
    if (notes.trim() !== (d.notes ?? '')) body.notes = notes.trim() || null;
    const list = tags.split(',').map((t) => t.trim()).filter(Boolean);
    if (list.join(',') !== d.tags.join(',')) body.tags = list;
    if (!Object.keys(body).length) return onClose();
    try {
      await api.patch(`/devices/${d.id}`, body);
      onSaved(`Device ${name.trim()} saved.`);
    } catch (err) {
      // A custom value's error comes at custom_fields.<key>: show it under that field.
      const issues = err instanceof ApiError ? err.issues.map((i) => [issuePath(i), i.msg ?? 'is not valid'] as const) : [];
      const fields = Object.fromEntries(issues.filter(([p]) => p[0] === 'custom_fields' && p[1]).map(([p, msg]) => [p[1]!, msg]));
      setErrors({ ...formErrors(err, 'name'), ...fields });
    }
  };
  return (
    <Drawer
      open
      title={`Edit ${d.name}`}
      subtitle="Manual fields: no sync changes them. Reported facts are overridden on the Facts tab."
      onClose={onClose}
      onSubmit={() => void save()}
      formId="device-edit-form"
      testId="device-edit-drawer"
      footer={<FormFooter formId="device-edit-form" submitLabel="Save" onCancel={onClose} />}
    >
      <Field label="Name" error={errors.name} htmlFor="device-name">
        <input id="device-name" className="ipk-input" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <ManualFields values={values} set={set} errors={errors} idPrefix="device" projects={projects} />
      <Field label="Asset tag" error={errors.asset_tag} htmlFor="device-asset-tag">
        <input id="device-asset-tag" className="ipk-input" value={assetTag} onChange={(e) => setAssetTag(e.target.value)} />
      </Field>
      <CustomValueFields defs={defs} values={custom} onChange={(k, v) => setCustom((c) => ({ ...c, [k]: v }))} errors={errors} />
      <Field label="Tags" error={errors.tags} hint="Comma-separated." htmlFor="device-tags">
        <input id="device-tags" className="ipk-input" value={tags} onChange={(e) => setTags(e.target.value)} />
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="device-notes">
        <textarea id="device-notes" className="ipk-textarea" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};
