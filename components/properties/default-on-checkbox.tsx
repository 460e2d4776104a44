import React, { useEffect } from 'react';
import { BasePropertyComponent, type EditPropertyProps } from 'adminjs';

/**
 * AdminJS's checkbox, ticked on a new record. The stock one starts unticked and sends nothing until
 * clicked, so the server's default (true) applied while the form showed false; setting the value
 * up front makes the form, the request and the stored record agree, and unticking sends false.
 */
const DefaultOnCheckbox: React.FC<EditPropertyProps> = (props) => {
  const { record, property, onChange } = props;
  const unset = !record?.id && record?.params?.[property.path] === undefined;
  useEffect(() => {
    if (unset) onChange(property.path, true);
  }, [unset, onChange, property.path]);
  return <BasePropertyComponent.Boolean.Edit {...props} />;
};

export default DefaultOnCheckbox;
