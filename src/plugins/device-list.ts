import type { BatchDevice } from './batch-devices.js';

/** Bytes per page: large enough that a 50k-device run is a few dozen pages, small enough to waste little. */
const PAGE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** A DeviceList as it crosses to the reconcile worker: its pages are transferred, not copied. */
export interface DevicePages {
  pages: ArrayBuffer[];
  /** Bytes used in each page. */
  used: number[];
  length: number;
}

/**
 * A batch's device records, packed as JSON lines in 1 MB pages as a connector reports them. A
 * mapped record is a few dozen small objects and its `raw` payload hundreds more (a Nutanix
 * entity); as UTF-8 text it is a fraction of that, off the JS heap, and its pages can be
 * transferred to the reconcile worker instead of structured-cloned. Measured at 50k VMs
 * (vCenter + Nutanix): the batch's device objects were most of the main thread's heap, which
 * stayed allocated while the worker ran (an idle thread does not collect).
 * Each record's `raw` is stored as its JSON text, as the facts row keeps it. A record round-trips
 * as JSON does: fields left undefined are left out (unknown to the source, as before).
 */
export class DeviceList {
  private pages: Uint8Array[] = [];
  private used: number[] = [];
  private count = 0;
  private readonly encoder = new TextEncoder();

  get length(): number {
    return this.count;
  }

  push(device: BatchDevice): void {
    const raw = device.raw;
    const line = JSON.stringify(raw === undefined ? device : { ...device, raw: JSON.stringify(raw) });
    // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the newline.
    const worst = line.length * 3 + 1;
    let page = this.pages[this.pages.length - 1];
    let at = this.used[this.used.length - 1] ?? 0;
    if (!page || page.length - at < worst) {
      page = new Uint8Array(new ArrayBuffer(Math.max(PAGE_BYTES, worst)));
      this.pages.push(page);
      this.used.push(0);
      at = 0;
    }
    at += this.encoder.encodeInto(line, page.subarray(at)).written;
    page[at++] = NEWLINE;
    this.used[this.used.length - 1] = at;
    this.count++;
  }

  /** Hands the pages over (to be transferred) and empties this list. */
  take(): DevicePages {
    const out: DevicePages = { pages: this.pages.map((p) => p.buffer as ArrayBuffer), used: this.used, length: this.count };
    this.pages = [];
    this.used = [];
    this.count = 0;
    return out;
  }

  /** The list that `take` handed over (in the worker, or the same thread); `p` gives up its pages. */
  static from(p: DevicePages): DeviceList {
    const list = new DeviceList();
    list.pages = p.pages.map((b) => new Uint8Array(b));
    list.used = p.used;
    list.count = p.length;
    p.pages = [];
    return list;
  }

  /** A plain array's records, packed (the array is emptied as it goes). */
  static of(devices: BatchDevice[]): DeviceList {
    const list = new DeviceList();
    for (let i = 0; i < devices.length; i++) {
      list.push(devices[i]!);
      devices[i] = undefined as never;
    }
    devices.length = 0;
    return list;
  }

  /**
   * Each record, parsed, in order; `raw` is JSON text. Consumes the list: each page is released
   * once read, so the parsed records and the pages are never all held at once.
   */
  *drain(): Generator<unknown> {
    const decoder = new TextDecoder();
    for (let p = 0; p < this.pages.length; p++) {
      const page = this.pages[p]!;
      const used = this.used[p]!;
      this.pages[p] = new Uint8Array(0);
      let start = 0;
      while (start < used) {
        const end = page.indexOf(NEWLINE, start);
        yield JSON.parse(decoder.decode(page.subarray(start, end)));
        start = end + 1;
      }
    }
    this.pages = [];
    this.used = [];
    this.count = 0;
  }
}

/** A batch's devices as a DeviceList (a plain array is packed and emptied). */
export function asDeviceList(devices: BatchDevice[] | DeviceList): DeviceList {
  return devices instanceof DeviceList ? devices : DeviceList.of(devices);
}
