import React from 'react';
import { Chip } from '../shared/chip';
import { InShow } from './in-show';

type Props = { record: { params: Record<string, unknown> }; property: { path: string; label?: string }; where?: string };

/** An asset's tags as chips in their catalog colours (params.tag_chips is JSON from the adapter). */
const TagChips: React.FC<Props> = ({ record, property, where }) => {
  let chips: { name: string; color: string }[];
  try {
    chips = JSON.parse(String(record.params.tag_chips ?? '[]'));
  } catch {
    chips = [];
  }
  return (
    <InShow where={where} property={property}>
      {chips.length === 0 ? (
        <span style={{ color: '#94a3b8' }}>—</span>
      ) : (
        <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
          {chips.map((c) => (
            <Chip key={c.name} label={c.name} color={c.color} />
          ))}
        </span>
      )}
    </InShow>
  );
};

export default TagChips;
