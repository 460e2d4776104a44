import React from 'react';
import { readableTextColor } from '../../src/domain/colors';
import { useIpkStyles } from './styles';

export type ChipProps = {
  label: string;
  /** Background; the text colour (dark or white) is picked for contrast with it unless `textColor` is given. */
  color?: string | null;
  /** A fixed text colour (a palette of its own, e.g. CREATE/UPDATE in a plan preview). */
  textColor?: string;
  /** Bold text (a plan's action). */
  strong?: boolean;
  title?: string;
  /** Makes the chip a link (a reference to another record). */
  href?: string;
  /** Makes the chip a button (e.g. "filter by this tag"). */
  onClick?: () => void;
  /** Shows a × that calls this. */
  onRemove?: () => void;
  /** The ×'s accessible name (default "Remove <label>"). */
  removeLabel?: string;
  testId?: string;
};

/**
 * The panel's one chip: a coloured label for projects, tags, types, roles, audit and plan
 * actions; a span, a link (`href`) or a button (`onClick`), optionally removable.
 */
export const Chip: React.FC<ChipProps> = ({ label, color, textColor, strong, title, href, onClick, onRemove, removeLabel, testId }) => {
  useIpkStyles();
  const background = color || '#e2e8f0';
  const style: React.CSSProperties = { background, color: textColor ?? readableTextColor(background), ...(strong ? { fontWeight: 600 } : {}) };
  const remove = onRemove ? (
    <button
      type="button"
      className="ipk-chip-x"
      aria-label={removeLabel ?? `Remove ${label}`}
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
  if (href) {
    return (
      <a className="ipk-chip" style={style} href={href} title={title ?? label} data-testid={testId}>
        {label}
      </a>
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
