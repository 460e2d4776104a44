import React, { useState } from 'react';
import { api, formErrors } from '../shared/api';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { ManualFields, manualPatch, useManualForm, type ManualValues } from './manual-fields';
import type { DeviceRow } from './wire';

type Props = { device: DeviceRow; onClose: () => void; onSaved: (message: string) => void };

const owner = (o: DeviceRow['technical_owner']) => (o ? { id: o.id, label: o.full_name } : null);

/** Edits a device's manual fields, notes and tags (PATCH /devices/{id}, only what changed). Facts are overridden on the Facts tab. */
export const DeviceEditDrawer: React.FC<Props> = ({ device: d, onClose, onSaved }) => {
  const start: ManualValues = { kind: d.kind ?? 'other', technical_owner: owner(d.technical_owner), business_owner: owner(d.business_owner), project: d.project ?? '', environment: d.environment ?? '', room: d.room_location ?? '', sub_location: d.sub_location ?? '' };
  const { values, touched, set } = useManualForm(start);
  const [notes, setNotes] = useState(d.notes ?? '');
  const [tags, setTags] = useState(d.tags.join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    const body = manualPatch(values, touched);
    if (notes.trim() !== (d.notes ?? '')) body.notes = notes.trim() || null;
    const list = tags.split(',').map((t) => t.trim()).filter(Boolean);
    if (list.join(',') !== d.tags.join(',')) body.tags = list;
    if (!Object.keys(body).length) return onClose();
    try {
      await api.patch(`/devices/${d.id}`, body);
      onSaved(`Device ${d.name} saved.`);
    } catch (err) {
      setErrors(formErrors(err));
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
      <ManualFields values={values} set={set} errors={errors} idPrefix="device" />
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
