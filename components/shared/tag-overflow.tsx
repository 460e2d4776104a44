import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Chip } from './chip';
import { useIpkStyles } from './styles';

export type TagChip = { name: string; color?: string | null };

export type TagOverflowProps = {
  tags: TagChip[];
  /** At most this many chips in the row (fewer when the cell is narrower); the rest go behind "+N more". */
  max?: number;
  /** Clicking a chip (in the row or the popover), e.g. to filter by it. */
  onPick?: (name: string) => void;
};

const GAP = 4;

/**
 * How many whole chips fit in `available` pixels, leaving room for "+N more" when some are left
 * out. A chip is never cut: "backu" reads as a different tag.
 */
export function chipsThatFit(widths: number[], moreWidth: number, available: number, max: number): number {
  const limit = Math.min(max, widths.length);
  const all = widths.reduce((sum, w, i) => sum + w + (i ? GAP : 0), 0);
  if (limit === widths.length && all <= available) return limit;
  let used = 0;
  let n = 0;
  for (; n < limit; n++) {
    const next = used + (n ? GAP : 0) + widths[n]!;
    if (next + GAP + moreWidth > available) break;
    used = next;
  }
  return n;
}

/**
 * Compact tag cell: as many whole chips as the cell holds (up to `max`), then a `+N more` popover that opens on hover or click,
 * closes on Esc, outside click or leaving it, and has an inline search.
 */
export const TagOverflow: React.FC<TagOverflowProps> = ({ tags, max = 3, onPick }) => {
  useIpkStyles();
  const [open, setOpen] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [q, setQ] = useState('');
  const box = useRef<HTMLSpanElement>(null);
  const cell = useRef<HTMLSpanElement>(null);
  const ruler = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [fit, setFit] = useState(Math.min(max, tags.length));
  const names = tags.map((t) => t.name).join('\u0000');
  // Measure every chip once, off screen, then re-fit whenever the cell's width changes.
  useLayoutEffect(() => {
    const outer = cell.current;
    const widths = Array.from(ruler.current?.children ?? []).map((c) => (c as HTMLElement).offsetWidth);
    const more = widths.pop() ?? 0;
    if (!outer) return undefined;
    const refit = (): void => setFit(chipsThatFit(widths, more, outer.clientWidth, max));
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(outer);
    return () => observer.disconnect();
  }, [names, max]);
  const hoverTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onDoc = (e: MouseEvent): void => {
      if (box.current && !box.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  function close(): void {
    setOpen(false);
    setPinned(false);
    setQ('');
  }
  const shown = tags.slice(0, fit);
  const rest = tags.slice(fit);
  const filtered = rest.filter((t) => t.name.toLowerCase().includes(q.trim().toLowerCase()));
  const chip = (t: TagChip): React.ReactNode => <Chip key={t.name} label={t.name} color={t.color} onClick={onPick ? () => onPick(t.name) : undefined} testId="tag-chip" />;
  if (tags.length === 0) return <span className="ipk-muted">—</span>;
  return (
    <span ref={cell} style={{ display: 'block', width: '100%', position: 'relative' }}>
      <span ref={ruler} className="ipk-ruler" aria-hidden="true">
        {tags.map((t) => (
          <Chip key={t.name} label={t.name} color={t.color} onClick={onPick ? () => undefined : undefined} />
        ))}
        <span className="ipk-more">+{tags.length} more</span>
      </span>
    <span
      ref={box}
      className="ipk-overflow"
      style={{ display: 'inline-flex', gap: GAP, flexWrap: 'nowrap', alignItems: 'center', maxWidth: '100%' }}
      onMouseLeave={() => {
        if (hoverTimer.current) clearTimeout(hoverTimer.current);
        if (!pinned) hoverTimer.current = setTimeout(() => setOpen(false), 200);
      }}
    >
      {shown.map(chip)}
      {rest.length ? (
        <span style={{ position: 'relative' }}>
          <button
            ref={button}
            type="button"
            className="ipk-more"
            aria-haspopup="dialog"
            aria-expanded={open}
            data-testid="tags-more"
            onMouseEnter={() => {
              if (hoverTimer.current) clearTimeout(hoverTimer.current);
              setOpen(true);
            }}
            onClick={() => {
              setOpen(true);
              setPinned(true);
            }}
          >
            +{rest.length} more
          </button>
          {open ? (
            <div
              className="ipk-pop"
              style={{ top: '100%', right: 0, marginTop: 4, width: 240 }}
              role="dialog"
              aria-label="More tags"
              data-testid="tags-popover"
              onMouseEnter={() => hoverTimer.current && clearTimeout(hoverTimer.current)}
              onMouseDown={() => setPinned(true)}
            >
              <input className="ipk-input" style={{ marginBottom: 6, padding: '4px 8px', fontSize: 13 }} placeholder="Search tags…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search tags" />
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>{filtered.length ? filtered.map(chip) : <span className="ipk-empty">No match</span>}</div>
            </div>
          ) : null}
        </span>
      ) : null}
    </span>
    </span>
  );
};

export default TagOverflow;
