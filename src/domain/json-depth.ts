/**
 * Deepest array/object nesting a request may carry. Our own bodies nest a few levels; the
 * recursive walks after parsing (NUL check, zod, audit diffs) overflow the stack near 10,000.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when JSON text nests arrays/objects deeper than `max`: one pass over the bytes,
 * skipping string contents (escapes included), stopping at the first level too deep.
 */
export function jsonTooDeep(text: Uint8Array | string, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > max) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

/** The message every surface answers (400) for a body nested too deeply. */
export const JSON_TOO_DEEP_MESSAGE = `The JSON body nests arrays/objects more than ${MAX_JSON_DEPTH} levels deep.`;
