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
