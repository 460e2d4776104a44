import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

type Props = { where?: string; property: { label?: string; path: string; resourceId?: string }; children: React.ReactNode };

/** A custom property component replaces the whole show row, label included: put the (translated) label back. */
export const InShow: React.FC<Props> = ({ where, property, children }) => {
  const { translateProperty } = useTranslation();
  if (where !== 'show') return <>{children}</>;
  return <ValueGroup label={translateProperty(property.label ?? property.path, property.resourceId)}>{children}</ValueGroup>;
};

export default InShow;
