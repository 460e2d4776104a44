import React from 'react';
import { Chip } from './chip';
import { InShow } from './in-show';

/** Fixed colours for enumerated values (asset types, audit actions, roles); anything else is slate. */
const COLORS: Record<string, string> = {
  VM: '#bfdbfe',
  OS: '#bbf7d0',
  BMC: '#fde68a',
  VIP: '#e9d5ff',
  OTHER: '#e2e8f0',
  CREATE: '#bbf7d0',
  UPDATE: '#bfdbfe',
  DELETE: '#fecaca',
  APPLY: '#e9d5ff', IMPORT_RUN: '#e9d5ff',
  LOGIN: '#e2e8f0',
  superuser: '#fecaca',
  editor: '#bfdbfe',
  viewer: '#e2e8f0',
};

type Props = { record: { params: Record<string, unknown> }; property: { path: string; label?: string; resourceId?: string }; where?: string };

/** An enumerated value as a readable chip, shown as stored (IP_ASSET, not "Ip Asset"). */
const ValueChip: React.FC<Props> = ({ record, property, where }) => {
  const value = record.params[property.path];
  return (
    <InShow where={where} property={property}>
      {value === null || value === undefined || value === '' ? <span style={{ color: '#94a3b8' }}>—</span> : <Chip label={String(value)} color={COLORS[String(value)] ?? '#e2e8f0'} />}
    </InShow>
  );
};

export default ValueChip;
