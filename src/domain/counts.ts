/**
 * Exact counts for the panel. Offsets and totals of big IPv6 ranges arrive as decimal strings
 * (a /64 has 2^64 − 1 usable addresses): they are grouped digit by digit, never rounded through
 * a float, so a pager can say exactly where it is.
 */
export type BigCount = number | string | bigint;

/** `18446744073709551615` → `18,446,744,073,709,551,615`; anything not a whole number is returned as is. */
export function formatExact(value: BigCount): string {
  const text = String(value);
  if (!/^\d+$/.test(text)) return text;
  const digits = text.replace(/^0+(?=\d)/, '');
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The pager's position line: "1–50 of 254", "0 of 0", and "of 10,000+" when the total is a
 * lower bound (a large text match stops counting).
 */
export function pageRangeText(offset: BigCount, shown: number, total: BigCount, exact = true): string {
  const of = `of ${formatExact(total)}${exact ? '' : '+'}`;
  if (shown <= 0) return `0 ${of}`;
  const first = BigInt(String(offset)) + 1n;
  const last = first + BigInt(shown) - 1n;
  return `${formatExact(first)}–${formatExact(last)} ${of}`;
}
