/**
 * `name`, or the first of "name (2)", "name (3)", … not in `taken`, cut to fit `max` characters.
 * Adds the result to `taken`, so a run over many rows gives each its own name deterministically.
 */
export function uniqueName(name: string, taken: Set<string>, max = 128): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = ` (${n})`;
    candidate = name.slice(0, max - suffix.length) + suffix;
  }
  taken.add(candidate);
  return candidate;
}
