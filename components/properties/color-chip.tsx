import React from 'react';
import { Chip } from '../shared/chip';
import { InShow } from './in-show';

/** A colour value shown as a chip of that colour with its hex code. */
const ColorChip: React.FC<{ record: { params: Record<string, unknown> }; property: { path: string; label?: string }; where?: string }> = ({ record, property, where }) => {
  const value = String(record.params[property.path] ?? '');
  return (
    <InShow where={where} property={property}>
      {value ? <Chip label={value} color={value} /> : null}
    </InShow>
  );
};

export default ColorChip;
