import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';
import type { PluginFile } from '../../src/plugins/define-plugin.js';
import { ImportInputError, ImportLimitError } from '../../src/plugins/errors.js';
import type { ImportLimits } from '../../src/plugins/limits.js';
import { entryData, readZipDirectory, type ZipDirectoryEntry } from './zip-directory.js';

/** True for the ZIP local-file signature. */
export function isZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) && (data[3] === 0x04 || data[3] === 0x06);
}

/**
 * Unpacks the bundle.json / *.csv entries of a ZIP. Zip bombs are refused before any work: the
 * entry count and the declared uncompressed sizes (central directory) are checked first; each
 * entry is then inflated (natively, off the event loop) with its declared size as the output cap,
 * so a lying header stops the inflater at that size; size and CRC-32 are checked at the end.
 */
export async function readZipEntries(file: PluginFile, limits: ImportLimits): Promise<PluginFile[]> {
  const directory = readZipDirectory(file.data, file.name);
  const files = directory.filter((e) => !e.name.endsWith('/'));
  if (files.length > limits.zipMaxEntries) throw new ImportLimitError(`${file.name} has ${files.length} entries; at most ${limits.zipMaxEntries} are read.`);
  const wanted = files.filter((e) => WANTED.test(e.name) && !e.name.startsWith('__MACOSX/'));
  const declared = wanted.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (declared > limits.zipMaxBytes) throw new ImportLimitError(`${file.name} expands to more than ${limits.zipMaxBytes} bytes (${declared} declared); refused.`);
  const out: PluginFile[] = [];
  for (const entry of wanted) {
    const data = await inflate(entry, entryData(file.data, entry, file.name), file.name);
    if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc32) throw new ImportInputError(`corrupt entry ${entry.name} (size or CRC-32 does not match)`, file.name);
    out.push({ name: `${file.name}/${entry.name}`, data });
  }
  return out;
}

const WANTED = /(^|\/)(bundle\.json|[\w-]+\.csv)$/i;
const inflateRawAsync = promisify(inflateRaw);

/** Stored or deflated entries only; the inflater refuses to produce more than the declared size. */
async function inflate(entry: ZipDirectoryEntry, compressed: Buffer, zipName: string): Promise<Buffer> {
  if (entry.flags & 1) throw new ImportInputError(`entry ${entry.name} is encrypted`, zipName);
  if (entry.method === 0) return compressed;
  if (entry.method !== 8) throw new ImportInputError(`entry ${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`, zipName);
  try {
    return await inflateRawAsync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_BUFFER_TOO_LARGE') throw new ImportLimitError(`${zipName}: entry ${entry.name} expands to more than the ${entry.uncompressedSize} bytes it declares; refused.`);
    throw new ImportInputError(`corrupt entry ${entry.name} (${err.message})`, zipName);
  }
}
