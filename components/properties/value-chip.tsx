import React from 'react';
import { Chip } from '../shared/chip';
import { valueColor } from '../shared/value-colors';
import { InShow } from './in-show';

type Props = { record: { params: Record<string, unknown> }; property: { path: string; label?: string; resourceId?: string }; where?: string };

/** An enumerated value (asset type, audit action, role) as a readable chip, shown as stored (IP_ASSET, not "Ip Asset"). */
const ValueChip: React.FC<Props> = ({ record, property, where }) => {
  const value = record.params[property.path];
  return (
    <InShow where={where} property={property}>
      {value === null || value === undefined || value === '' ? <span style={{ color: '#94a3b8' }}>—</span> : <Chip label={String(value)} color={valueColor(String(value))} />}
    </InShow>
  );
};

export default ValueChip;
