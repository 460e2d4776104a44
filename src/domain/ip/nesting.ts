/** A range's span of address keys (see ParsedCidr), enough to place it in the hierarchy. */
export interface KeySpan {
  id: number;
  version: number;
  firstKey: string;
  lastKey: string;
}

export type SpanRelation = 'same' | 'inside' | 'contains' | 'overlaps' | 'disjoint';

/** How span a relates to span b (two CIDRs only ever nest or are disjoint; arbitrary spans can overlap). */
export function spanRelation(a: KeySpan, b: KeySpan): SpanRelation {
  if (a.version !== b.version || a.lastKey < b.firstKey || b.lastKey < a.firstKey) return 'disjoint';
  if (a.firstKey === b.firstKey && a.lastKey === b.lastKey) return 'same';
  if (a.firstKey >= b.firstKey && a.lastKey <= b.lastKey) return 'inside';
  if (b.firstKey >= a.firstKey && b.lastKey <= a.lastKey) return 'contains';
  return 'overlaps';
}

export interface Placement {
  /** The smallest span containing this one, or null at the top. */
  parentId: number | null;
  /** 0 at the top, parent's depth + 1 below. */
  depth: number;
  /** Spans whose parent this one is, in key order. */
  children: number[];
}

/**
 * Places spans in their hierarchy: sorted by family, first key, then widest first, each span's
 * parent is the nearest open span on a stack that still contains it. O(n log n), no pairwise scan.
 */
export function nestSpans(spans: readonly KeySpan[]): Map<number, Placement> {
  const sorted = [...spans].sort((a, b) => a.version - b.version || (a.firstKey < b.firstKey ? -1 : a.firstKey > b.firstKey ? 1 : a.lastKey > b.lastKey ? -1 : a.lastKey < b.lastKey ? 1 : a.id - b.id));
  const out = new Map<number, Placement>();
  const stack: KeySpan[] = [];
  for (const s of sorted) {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const rel = spanRelation(s, top);
      if (rel === 'inside' || rel === 'same') break;
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    out.set(s.id, { parentId: parent?.id ?? null, depth: stack.length, children: [] });
    if (parent) out.get(parent.id)!.children.push(s.id);
    stack.push(s);
  }
  return out;
}
