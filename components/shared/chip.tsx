import React from 'react';
import { readableTextColor } from '../../src/domain/colors';
import { useIpkStyles } from './styles';

export type ChipProps = {
  label: string;
  color?: string | null;
  title?: string;
  /** Makes the chip a button (e.g. "filter by this tag"). */
  onClick?: () => void;
  /** Shows a × that calls this. */
  onRemove?: () => void;
  testId?: string;
};

/** A coloured label; the text colour (dark or white) is picked for contrast with the background. */
export const Chip: React.FC<ChipProps> = ({ label, color, title, onClick, onRemove, testId }) => {
  useIpkStyles();
  const background = color || '#e2e8f0';
  const style: React.CSSProperties = { background, color: readableTextColor(background) };
  const remove = onRemove ? (
    <button
      type="button"
      className="ipk-chip-x"
      aria-label={`Remove ${label}`}
      onClick={(e) => {
        e.stopPropagation();
        onRemove();
      }}
    >
      ×
    </button>
  ) : null;
  if (onClick) {
    return (
      <button type="button" className="ipk-chip" style={style} title={title ?? `Filter by ${label}`} onClick={onClick} data-testid={testId}>
        {label}
        {remove}
      </button>
    );
  }
  return (
    <span className="ipk-chip" style={style} title={title ?? label} data-testid={testId}>
      {label}
      {remove}
    </span>
  );
};

export default Chip;
