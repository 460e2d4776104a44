import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Bytes per page before it is deflated: a 25k-device run is a few dozen pages. */
const PAGE_BYTES = 1 << 20;

/** Where one line is: its page, and its byte offset and length in the page once inflated. */
export interface LineAt {
  page: number;
  start: number;
  bytes: number;
}

/** The pages as they cross to a worker (each its own ArrayBuffer, transferred, not copied). */
export interface SealedPages {
  pages: ArrayBuffer[];
}

/**
 * Lines of text (JSON records) packed as UTF-8 in 1 MB pages, each page deflated once it is
 * full. A connector's device records as objects were most of a run's memory: 25k Nutanix VMs,
 * their raw payloads included, are 51 MB as text and a few MB deflated, since records of one
 * source repeat the same keys and shapes. One deflate per page, never per record: a zlib stream
 * per record costs more memory than it saves (a 50k run peaked at 809 MB that way). Reading
 * inflates one page at a time and keeps the last one, so lines read in order cost one inflate
 * per page.
 */
export class JsonPages {
  private sealed: Uint8Array[] = [];
  private open: Uint8Array | null = null;
  private used = 0;
  private inflated: { page: number; bytes: Uint8Array } | null = null;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** Appends a line; returns where it is. */
  push(line: string): LineAt {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const worst = line.length * 3;
    if (!this.open || this.open.length - this.used < worst) {
      this.seal();
      this.open = new Uint8Array(new ArrayBuffer(Math.max(PAGE_BYTES, worst)));
      this.used = 0;
    }
    const start = this.used;
    const bytes = this.encoder.encodeInto(line, this.open.subarray(start)).written;
    this.used += bytes;
    return { page: this.sealed.length, start, bytes };
  }

  /** The line at `at`, as pushed. */
  read(at: LineAt): string {
    return this.decoder.decode(this.page(at.page).subarray(at.start, at.start + at.bytes));
  }

  /** Every page's bytes once inflated, in order, each page let go once handed out (a single pass). */
  *drainPages(): Generator<Uint8Array> {
    this.seal();
    for (let p = 0; p < this.sealed.length; p++) {
      const page = this.sealed[p]!;
      this.sealed[p] = new Uint8Array(0);
      yield inflateRawSync(page);
    }
    this.sealed = [];
    this.inflated = null;
  }

  /** Hands the pages over (to be transferred) and empties this store. */
  take(): SealedPages {
    this.seal();
    const out = { pages: this.sealed.map((p) => p.buffer as ArrayBuffer) };
    this.sealed = [];
    this.inflated = null;
    return out;
  }

  /** The store that `take` handed over; `p` gives up its pages. */
  static from(p: SealedPages): JsonPages {
    const pages = new JsonPages();
    pages.sealed = p.pages.map((b) => new Uint8Array(b));
    p.pages = [];
    return pages;
  }

  /** Deflates the page being filled (level 1: many similar records; speed matters more). Each sealed page owns its ArrayBuffer. */
  private seal(): void {
    if (!this.open) return;
    this.sealed.push(new Uint8Array(deflateRawSync(this.open.subarray(0, this.used), { level: 1 })));
    this.open = null;
    this.used = 0;
  }

  private page(p: number): Uint8Array {
    if (this.inflated?.page === p) return this.inflated.bytes;
    this.seal();
    const bytes = inflateRawSync(this.sealed[p]!);
    this.inflated = { page: p, bytes };
    return bytes;
  }
}
