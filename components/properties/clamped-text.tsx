import React from 'react';

type Props = { record: { params: Record<string, unknown> }; property: { path: string } };

/**
 * A long text in a list cell cut to two lines ending in "…", the whole text in its tooltip (the
 * audit log's Changes: one import's change line ran to a dozen lines per row). Only the list uses
 * it; the show page keeps AdminJS's full text.
 */
const ClampedText: React.FC<Props> = ({ record, property }) => {
  const value = record.params[property.path];
  const text = value === null || value === undefined ? '' : String(value);
  return (
    <div title={text} data-testid="clamped-text" style={{ display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', overflowWrap: 'anywhere' }}>
      {text}
    </div>
  );
};

export default ClampedText;
