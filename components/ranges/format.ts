import { formatExact } from '../../src/domain/counts';

/** Counts arrive as numbers, or decimal strings beyond 2^53 (large IPv6 ranges). */
export type BigCount = number | string;

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A compact count for summaries: grouped digits up to a trillion, then "≈ 1.84 × 10¹⁹" (the exact value goes in a tooltip; pagers use formatExact). */
export function formatCount(value: BigCount): string {
  const text = String(value);
  if (!/^\d+$/.test(text)) return text;
  if (text.length <= 13) return formatExact(text);
  const exp = text.length - 1;
  const mantissa = `${text[0]}.${text.slice(1, 3)}`;
  return `≈ ${mantissa} × 10${[...String(exp)].map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
}

export const rangeListPath = '/ui/resources/ranges';
export const addressesPath = (id: number, status?: 'used' | 'free'): string => `${rangeListPath}/records/${id}/addresses${status ? `?status=${status}` : ''}`;
