import { JsonPages, type LineAt } from '../../json-pages.js';

/**
 * An entity's prepared records as the pipeline reads them: counted, taken a chunk at a time, or
 * walked once. A plain array is one; a PackedRecords holds them as JSON text instead.
 */
export interface RecordSeq<T> extends Iterable<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

/**
 * Prepared records held as JSON text in deflated pages (json-pages.ts) and parsed again a chunk
 * at a time. 25k device records parsed were most of the reconcile worker's heap for the whole
 * plan (V8 kept about twice that committed), although only one chunk is planned at a time.
 * Records round-trip as JSON does: undefined fields are left out (they mean "not reported"
 * either way). `revive` finishes a record once every record is known (a VM's hypervisor named
 * by another record).
 */
export class PackedRecords<T> implements RecordSeq<T> {
  private readonly pages = new JsonPages();
  private readonly at: LineAt[] = [];
  revive: ((record: T) => T) | null = null;

  get length(): number {
    return this.at.length;
  }

  push(record: T): void {
    this.at.push(this.pages.push(JSON.stringify(record)));
  }

  /** Records start..end-1, parsed (new objects each time). */
  slice(start: number, end: number): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.get(i));
    return out;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  private get(i: number): T {
    const record = JSON.parse(this.pages.read(this.at[i]!)) as T;
    return this.revive ? this.revive(record) : record;
  }
}

/** The records as an array (a packed list is parsed whole: for small inputs and tests). */
export function recordArray<T>(records: RecordSeq<T>): readonly T[] {
  return Array.isArray(records) ? (records as readonly T[]) : [...records];
}
