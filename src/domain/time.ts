/** Timestamps are stored and shown as "YYYY-MM-DD HH:MM:SS" in UTC, as the original does. */
export function formatTimestamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses the stored format or ISO 8601; null when not a date. */
export function parseTimestamp(input: string): Date | null {
  const text = input.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? text.replace(' ', 'T') + 'Z' : text;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
