import React, { useState } from 'react';
import { api, formErrors } from '../shared/api';
import type { Project } from '../shared/catalog';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { ManualFields, manualPatch, useManualForm, type ManualValues } from './manual-fields';

type Props = { ids: number[]; projects: Project[]; onClose: () => void; onDone: (message: string) => void };

const KEEP: ManualValues = { technical_owner: null, business_owner: null, project_id: '', environment: '', room_location: '', sub_location: '' };

/**
 * Bulk edit of a selection: the fields changed are set on every device, in one request
 * (POST /devices/bulk: all or nothing, an audit entry and history per changed device); the rest stay.
 */
export const DeviceBulkDrawer: React.FC<Props> = ({ ids, projects, onClose, onDone }) => {
  const { values, touched, set } = useManualForm(KEEP);
  const [tags, setTags] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    // "(keep)" chosen again after a change keeps each device's own project.
    const edit = manualPatch(values, [...touched].filter((k) => k !== 'project_id' || values.project_id));
    const add = tags.split(',').map((t) => t.trim()).filter(Boolean);
    if (!Object.keys(edit).length && !add.length) return setErrors({ _: 'Change at least one field.' });
    try {
      const r = await api.post<{ updated: number }>('/devices/bulk', { ids, ...(Object.keys(edit).length ? { edit } : {}), ...(add.length ? { tags: { add } } : {}) });
      onDone(`${r.updated.toLocaleString('en-US')} device${r.updated === 1 ? '' : 's'} updated.`);
    } catch (err) {
      setErrors(formErrors(err));
    }
  };
  const n = ids.length.toLocaleString('en-US');
  return (
    <Drawer
      open
      title={`Bulk edit ${n} device${ids.length === 1 ? '' : 's'}`}
      subtitle="Only the fields you change are set; the others stay as they are on each device."
      onClose={onClose}
      onSubmit={() => void save()}
      formId="device-bulk-form"
      testId="device-bulk-drawer"
      footer={<FormFooter formId="device-bulk-form" submitLabel={`Apply to ${n}`} onCancel={onClose} />}
    >
      <ManualFields values={values} set={set} errors={errors} idPrefix="bulk" projects={projects} keep />
      <Field label="Add tags" error={errors.add_tags} hint="Comma-separated; existing tags stay." htmlFor="bulk-tags">
        <input id="bulk-tags" className="ipk-input" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="e.g. lab, refresh-2027" />
      </Field>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};
