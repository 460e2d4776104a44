import type { BatchDevice } from './batch-devices.js';
import { JsonPages } from './json-pages.js';

const NEWLINE = 0x0a;

/** A DeviceList as it crosses to the reconcile worker: its pages are transferred, not copied. */
export interface DevicePages {
  pages: ArrayBuffer[];
  length: number;
}

/**
 * A batch's device records, packed as JSON lines in deflated pages (json-pages.ts) as a
 * connector reports them. A mapped record is a few dozen small objects and its `raw` payload
 * hundreds more (a Nutanix entity); as deflated text it is a small fraction of that, off the JS
 * heap, and its pages can be transferred to the reconcile worker instead of structured-cloned.
 * Each record's `raw` is stored as its JSON text, as the facts row keeps it. A record round-trips
 * as JSON does: fields left undefined are left out (unknown to the source, as before).
 */
export class DeviceList {
  private pages = new JsonPages();
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(device: BatchDevice): void {
    const raw = device.raw;
    // JSON text never holds a raw newline: it ends the record.
    this.pages.push(`${JSON.stringify(raw === undefined ? device : { ...device, raw: JSON.stringify(raw) })}\n`);
    this.count++;
  }

  /** Hands the pages over (to be transferred) and empties this list. */
  take(): DevicePages {
    const out = { ...this.pages.take(), length: this.count };
    this.count = 0;
    return out;
  }

  /** The list that `take` handed over (in the worker, or the same thread); `p` gives up its pages. */
  static from(p: DevicePages): DeviceList {
    const list = new DeviceList();
    list.pages = JsonPages.from(p);
    list.count = p.length;
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
    for (const page of this.pages.drainPages()) {
      let start = 0;
      while (start < page.length) {
        const end = page.indexOf(NEWLINE, start);
        yield JSON.parse(decoder.decode(page.subarray(start, end)));
        start = end + 1;
      }
    }
    this.count = 0;
  }
}

/** A batch's devices as a DeviceList (a plain array is packed and emptied). */
export function asDeviceList(devices: BatchDevice[] | DeviceList): DeviceList {
  return devices instanceof DeviceList ? devices : DeviceList.of(devices);
}
