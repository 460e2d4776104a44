export const DEFAULT_PROJECT_COLOR = '#94a3b8';

const HEX = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** Normalises "#ABC", "abc", "#aabbcc" to "#aabbcc"; null when not a hex colour. */
export function normalizeHexColor(input: string): string | null {
  const m = HEX.exec(input.trim());
  if (!m) return null;
  let hex = m[1]!.toLowerCase();
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  return `#${hex}`;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const color = normalizeHexColor(hex) ?? '#000000';
  const channel = (i: number): number => {
    const c = parseInt(color.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Contrast ratio between two colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour (near-black or white) that reads best on the background. */
export function readableTextColor(background: string): '#0f172a' | '#ffffff' {
  return contrastRatio(background, '#0f172a') >= contrastRatio(background, '#ffffff') ? '#0f172a' : '#ffffff';
}

/** A pleasant, mid-saturation colour; `random` is injectable so callers and tests can be deterministic. */
export function randomPleasantColor(random: () => number = Math.random): string {
  const hue = Math.floor(random() * 360);
  const saturation = 55 + Math.floor(random() * 20);
  const lightness = 55 + Math.floor(random() * 15);
  return hslToHex(hue, saturation, lightness);
}

/** Converts HSL (degrees, percent, percent) to #rrggbb. */
export function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number): number => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number): number => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return '#' + [f(0), f(8), f(4)].map((x) => Math.round(x * 255).toString(16).padStart(2, '0')).join('');
}
