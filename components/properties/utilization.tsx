import React from 'react';
import { UtilizationBar } from '../shared/utilization-bar';
import { InShow } from './in-show';

type Props = { record: { params: Record<string, unknown> }; property: { path: string; label?: string }; where?: string };

/** A range's utilization property (list and show) as the shared bar. */
const UtilizationProperty: React.FC<Props> = ({ record, property, where }) => (
  <InShow where={where} property={property}>
    <UtilizationBar percent={Number(record.params[property.path] ?? 0)} />
  </InShow>
);

export default UtilizationProperty;
