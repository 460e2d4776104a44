import React from 'react';
import { ViewHelpers } from 'adminjs';
import { Chip } from '../shared/chip';
import { InShow } from './in-show';

type Populated = { id: string | number; title: string; params: Record<string, unknown> };
type Props = { record: { params: Record<string, unknown>; populated: Record<string, Populated | undefined> }; property: { path: string; label?: string; reference?: string | null }; where?: string };

/** A reference (e.g. the project of an IP) shown by name, in the referenced record's colour, linking to it. */
const ReferenceChip: React.FC<Props> = ({ record, property, where }) => {
  const ref = record.populated?.[property.path];
  if (!ref) return <InShow where={where} property={property}><span style={{ color: '#94a3b8' }}>—</span></InShow>;
  const href = property.reference ? new ViewHelpers().recordActionUrl({ resourceId: property.reference, recordId: String(ref.id), actionName: 'show' }) : undefined;
  return (
    <InShow where={where} property={property}>
      <Chip label={ref.title} color={(ref.params.color as string | undefined) ?? null} href={href} />
    </InShow>
  );
};

export default ReferenceChip;
