import React from 'react';
import { fieldLabel, hint } from '../shared/form-styles';
import { mb, size, type Plugin } from './model';

type Props = { accepts: NonNullable<Plugin['accepts']>; maxUploadBytes: number; files: File[]; tooBig: File[]; wrongType: File[]; inputKey: number; onChoose: (files: File[]) => void };

/** The upload of an importer: the file input, what was chosen, and why it cannot be sent (too large, wrong type). */
export const FileField: React.FC<Props> = ({ accepts, maxUploadBytes, files, tooBig, wrongType, inputKey, onChoose }) => (
  <div style={{ marginTop: 18 }}>
    <label htmlFor="import-file" style={fieldLabel}>
      {accepts.multiple ? 'Files' : 'File'} ({accepts.extensions.join(', ')}, at most {mb(maxUploadBytes)} each)
    </label>
    <input key={inputKey} id="import-file" type="file" accept={accepts.extensions.join(',')} multiple={accepts.multiple === true} onChange={(e) => onChoose(Array.from(e.target.files ?? []))} data-testid="import-file" />
    {files.map((f) => (
      <div key={f.name} style={{ ...hint, fontSize: 13 }}>
        {f.name} · {size(f.size)}
      </div>
    ))}
    {tooBig.length ? (
      <div style={{ color: '#b91c1c', fontSize: 13, marginTop: 6 }} data-testid="upload-too-large">
        {tooBig.map((f) => `${f.name} is ${size(f.size)}`).join('; ')}: larger than the upload limit of {mb(maxUploadBytes)} (IPOCKET_MAX_UPLOAD_MB).
      </div>
    ) : null}
    {wrongType.length ? (
      <div style={{ color: '#b91c1c', fontSize: 13, marginTop: 6 }}>
        {wrongType.map((f) => f.name).join(', ')}: this source reads {accepts.extensions.join(', ')} files.
      </div>
    ) : null}
  </div>
);
