/** Tag names are trimmed, lower-cased and limited to [a-z0-9_-]. */
export const TAG_NAME_PATTERN = /^[a-z0-9_-]+$/;
export const DEFAULT_TAG_COLOR = '#e2e8f0';
/** Tags that make an asset high-risk to delete. */
export const HIGH_RISK_TAGS: ReadonlySet<string> = new Set(['prod', 'production', 'critical', 'flagged']);

/** Normalises a tag name; null when the result is empty or has characters outside [a-z0-9_-]. */
export function normalizeTagName(input: string): string | null {
  const name = input.trim().toLowerCase();
  return TAG_NAME_PATTERN.test(name) ? name : null;
}

/** Splits "a, b" or a list into normalised, de-duplicated, sorted names; returns the rejects too. */
export function normalizeTagList(input: string | readonly string[]): { names: string[]; invalid: string[] } {
  const raw = typeof input === 'string' ? input.split(',') : input;
  const names = new Set<string>();
  const invalid: string[] = [];
  for (const item of raw) {
    if (item.trim() === '') continue;
    const name = normalizeTagName(item);
    if (name) names.add(name);
    else invalid.push(item);
  }
  return { names: [...names].sort(), invalid };
}

/** Limits of one asset's tag list, the same whether it comes as "a, b" or as a list. */
export const MAX_TAG_NAME_LENGTH = 64;
export const MAX_TAGS_PER_LIST = 200;

/**
 * A tag list as every input surface reads it ("a, b" or a list): split, then the count and
 * length limits, then the name rules. `problem` says what is wrong (names shortened in it).
 */
export function parseTagList(input: string | readonly string[]): { names: string[]; problem: string | null } {
  const raw = (typeof input === 'string' ? input.split(',') : input).filter((item) => item.trim() !== '');
  if (raw.length > MAX_TAGS_PER_LIST) return { names: [], problem: `at most ${MAX_TAGS_PER_LIST} tags (got ${raw.length})` };
  const long = raw.find((item) => item.trim().length > MAX_TAG_NAME_LENGTH);
  if (long !== undefined) return { names: [], problem: `a tag name has at most ${MAX_TAG_NAME_LENGTH} characters (got ${long.trim().length}: "${shorten(long.trim())}")` };
  const { names, invalid } = normalizeTagList(raw);
  if (invalid.length > 0) return { names: [], problem: `invalid tag name(s): ${invalid.slice(0, 10).map(shorten).join(', ')} (use letters, digits, "-" and "_")` };
  return { names, problem: null };
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
