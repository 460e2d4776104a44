import React from 'react';
import { readableTextColor } from '../src/domain/colors';

export type ChipProps = { label: string; color?: string | null; href?: string; title?: string };

/** A coloured label (project, tag); text colour picked for contrast with the background. */
export const Chip: React.FC<ChipProps> = ({ label, color, href, title }) => {
  const background = color || '#e2e8f0';
  const style: React.CSSProperties = {
    display: 'inline-block',
    padding: '2px 8px',
    margin: '1px 4px 1px 0',
    borderRadius: 10,
    fontSize: 12,
    lineHeight: '16px',
    whiteSpace: 'nowrap',
    background,
    color: readableTextColor(background),
    textDecoration: 'none',
  };
  return href ? (
    <a href={href} style={style} title={title ?? label} className="ipocket-chip">
      {label}
    </a>
  ) : (
    <span style={style} title={title ?? label} className="ipocket-chip">
      {label}
    </span>
  );
};

export default Chip;
