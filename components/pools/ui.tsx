import React from 'react';
import { card } from '../shared/form-styles';

/** A failed call's message on a pools page (nothing when there is none). */
export const Alert: React.FC<{ message: string | null; testId?: string; style?: React.CSSProperties }> = ({ message, testId, style }) =>
  message ? (
    <div className="ipk-warn" role="alert" data-testid={testId} style={style}>
      {message}
    </div>
  ) : null;

/** A white panel of a pools page, named for screen readers by its heading. */
export const Card: React.FC<{ title?: string; label?: string; testId?: string; style?: React.CSSProperties; aside?: React.ReactNode; children?: React.ReactNode }> = ({ title, label, testId, style, aside, children }) => (
  <section style={{ ...card, padding: 16, ...style }} aria-label={label ?? title} data-testid={testId}>
    {title || aside ? (
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, marginBottom: 12 }}>
        {title ? <h3 style={{ margin: 0, fontSize: 15 }}>{title}</h3> : <span />}
        {aside}
      </div>
    ) : null}
    {children}
  </section>
);
