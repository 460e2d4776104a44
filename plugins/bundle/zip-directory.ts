import { ImportInputError } from '../../src/plugins/errors.js';

/** One entry as the ZIP's central directory declares it (nothing is inflated to learn this). */
export interface ZipDirectoryEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags: number;
  /** Where the entry's local header starts. */
  localOffset: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/**
 * Reads the central directory at the end of a ZIP: a few bytes per entry, so the declared
 * sizes can be checked against the budget before any entry is inflated. ZIP64 archives (sizes
 * or counts past 32/16 bits) are refused: a bundle never needs them, and a bomb hides in them.
 */
export function readZipDirectory(data: Buffer, fileName: string): ZipDirectoryEntry[] {
  const bad = (why: string): ImportInputError => new ImportInputError(`not a readable ZIP file (${why})`, fileName);
  let eocd = -1;
  for (let i = data.length - EOCD_MIN; i >= Math.max(0, data.length - EOCD_MIN - MAX_COMMENT); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end of central directory');
  const count = data.readUInt16LE(eocd + 10);
  const size = data.readUInt32LE(eocd + 12);
  const offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ImportInputError('ZIP64 archives are not read (a bundle ZIP is far smaller)', fileName);
  if (offset + size > eocd) throw bad('central directory out of bounds');
  const entries: ZipDirectoryEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || data.readUInt32LE(at) !== CENTRAL) throw bad('broken central directory');
    const entry = {
      flags: data.readUInt16LE(at + 8),
      method: data.readUInt16LE(at + 10),
      localOffset: data.readUInt32LE(at + 42),
      crc32: data.readUInt32LE(at + 16),
      compressedSize: data.readUInt32LE(at + 20),
      uncompressedSize: data.readUInt32LE(at + 24),
    };
    const nameLength = data.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    if (next > eocd) throw bad('broken central directory');
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localOffset === 0xffffffff) throw new ImportInputError('ZIP64 archives are not read (a bundle ZIP is far smaller)', fileName);
    entries.push({ name: data.toString('utf8', at + 46, at + 46 + nameLength), ...entry });
    at = next;
  }
  return entries;
}

/** The compressed bytes of an entry (after its local header, whose name/extra lengths may differ from the directory's). */
export function entryData(data: Buffer, entry: ZipDirectoryEntry, fileName: string): Buffer {
  const at = entry.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) throw new ImportInputError(`not a readable ZIP file (entry ${entry.name} has no local header)`, fileName);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + entry.compressedSize > data.length) throw new ImportInputError(`not a readable ZIP file (entry ${entry.name} is truncated)`, fileName);
  return data.subarray(start, start + entry.compressedSize);
}
