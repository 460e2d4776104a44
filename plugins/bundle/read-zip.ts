import JSZip from 'jszip';
import type { PluginFile } from '../../src/plugins/define-plugin.js';
import { ImportInputError, ImportLimitError } from '../../src/plugins/errors.js';
import type { ImportLimits } from '../../src/plugins/limits.js';

/** True for the ZIP local-file signature. */
export function isZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) && (data[3] === 0x04 || data[3] === 0x06);
}

/**
 * Unpacks the bundle.json / *.csv entries of a ZIP, refusing more entries than allowed and
 * stopping decompression as soon as the total passes the uncompressed cap (zip bombs: the
 * sizes in the headers are not trusted).
 */
export async function readZipEntries(file: PluginFile, limits: ImportLimits): Promise<PluginFile[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(file.data, { checkCRC32: true });
  } catch (e) {
    throw new ImportInputError(`not a readable ZIP file (${(e as Error).message})`, file.name);
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > limits.zipMaxEntries) throw new ImportLimitError(`${file.name} has ${entries.length} entries; at most ${limits.zipMaxEntries} are read.`);
  const wanted = entries.filter((f) => /(^|\/)(bundle\.json|[\w-]+\.csv)$/i.test(f.name) && !f.name.startsWith('__MACOSX/'));
  const budget = { left: limits.zipMaxBytes };
  const out: PluginFile[] = [];
  for (const entry of wanted) out.push({ name: `${file.name}/${entry.name}`, data: await inflate(entry, budget, file.name, limits.zipMaxBytes) });
  return out;
}

interface StreamHelper {
  on(event: 'data', cb: (chunk: Uint8Array) => void): StreamHelper;
  on(event: 'error', cb: (e: Error) => void): StreamHelper;
  on(event: 'end', cb: () => void): StreamHelper;
  pause(): StreamHelper;
  resume(): StreamHelper;
}

function inflate(entry: JSZip.JSZipObject, budget: { left: number }, zipName: string, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let done = false;
    // internalStream is public JSZip API (StreamHelper) but missing from its typings.
    const helper = (entry as unknown as { internalStream(t: 'uint8array'): StreamHelper }).internalStream('uint8array');
    helper
      .on('data', (chunk: Uint8Array) => {
        if (done) return;
        size += chunk.length;
        if (size > budget.left) {
          done = true;
          helper.pause();
          reject(new ImportLimitError(`${zipName} expands to more than ${cap} bytes; refused.`));
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (e: Error) => {
        if (done) return;
        done = true;
        reject(new ImportInputError(`corrupt entry ${entry.name} (${e.message})`, zipName));
      })
      .on('end', () => {
        if (done) return;
        done = true;
        budget.left -= size;
        resolve(Buffer.concat(chunks));
      })
      .resume();
  });
}
