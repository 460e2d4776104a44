import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportInputError } from '../../src/plugins/errors.js';

export interface NmapHost {
  /** Position among the <host> elements (1-based), for error locations. */
  index: number;
  addresses: { addr: string; type: 'ipv4' | 'ipv6' }[];
  mac?: { addr: string; vendor?: string };
  hostnames: string[];
  openPorts: { port: number; protocol: string; service?: string; product?: string }[];
  os?: string;
}

export interface NmapScan {
  args?: string;
  startedAt?: Date;
  /** Hosts reported up (down ones are dropped). */
  hosts: NmapHost[];
  down: number;
}

/** The validator and the parser recurse per element: 200,000 nested elements overflowed the stack. */
const MAX_XML_DEPTH = 256;

/**
 * True when elements nest deeper than MAX_XML_DEPTH: one pass over the text counting open and
 * close tags (quoted attribute values, comments, CDATA and processing instructions skipped).
 */
function xmlTooDeep(xml: string): boolean {
  let depth = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const next = xml[i + 1];
    if (xml.startsWith('<!--', i)) i = endOf(xml, '-->', i);
    else if (xml.startsWith('<![CDATA[', i)) i = endOf(xml, ']]>', i);
    else if (next === '!' || next === '?') i = endOf(xml, '>', i);
    else if (next === '/') {
      depth--;
      i = endOf(xml, '>', i);
    } else {
      let j = i + 1;
      let quote = '';
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (quote) quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (xml[j - 1] !== '/' && ++depth > MAX_XML_DEPTH) return true;
      i = j;
    }
  }
  return false;
}

function endOf(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length : at + marker.length - 1;
}

// Nmap writes exactly this; anything else in a DOCTYPE (an internal subset, SYSTEM/PUBLIC ids) is how
// XML entity attacks (billion laughs, external entities) are delivered, so it is refused.
const NMAP_DOCTYPE = /<!DOCTYPE\s+nmaprun\s*>/;

/**
 * Parses Nmap XML (`nmap -oX`). Entities are never expanded and no DTD is read: the only
 * DOCTYPE accepted is nmap's bare `<!DOCTYPE nmaprun>`; any other DOCTYPE or ENTITY is refused.
 */
export function parseNmapXml(xml: string, fileName: string): NmapScan {
  const doctypes = xml.match(/<!DOCTYPE/gi) ?? [];
  if (/<!ENTITY/i.test(xml)) throw new ImportInputError('XML entity declarations are not accepted (no DTDs or entities are processed)', fileName);
  if (doctypes.length > 1 || (doctypes.length === 1 && !NMAP_DOCTYPE.test(xml))) {
    throw new ImportInputError('a DOCTYPE other than nmap\'s own "<!DOCTYPE nmaprun>" is not accepted (no DTDs or entities are processed)', fileName);
  }
  const body = xml.replace(NMAP_DOCTYPE, '');
  if (xmlTooDeep(body)) throw new ImportInputError(`elements nest more than ${MAX_XML_DEPTH} levels deep (nmap writes fewer than 10)`, fileName);
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) throw new ImportInputError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`, fileName);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['host', 'address', 'hostname', 'port', 'osmatch'].includes(name),
  });
  const doc = parser.parse(body) as { nmaprun?: Record<string, unknown> };
  const run = doc.nmaprun;
  if (!run || typeof run !== 'object') throw new ImportInputError('not Nmap XML output (no <nmaprun> element); produce it with nmap -oX', fileName);
  const scan: NmapScan = { args: str(run.args), hosts: [], down: 0 };
  const start = Number(run.start);
  if (Number.isFinite(start) && start > 0) scan.startedAt = new Date(start * 1000);
  const hosts = (run.host as Record<string, unknown>[] | undefined) ?? [];
  hosts.forEach((h, i) => {
    const status = (h.status as Record<string, string> | undefined)?.state;
    if (status !== 'up') {
      scan.down++;
      return;
    }
    const host: NmapHost = { index: i + 1, addresses: [], hostnames: [], openPorts: [] };
    for (const a of (h.address as Record<string, string>[] | undefined) ?? []) {
      if (a.addrtype === 'ipv4' || a.addrtype === 'ipv6') host.addresses.push({ addr: a.addr ?? '', type: a.addrtype });
      else if (a.addrtype === 'mac') host.mac = { addr: a.addr ?? '', vendor: a.vendor || undefined };
    }
    const names = (h.hostnames as { hostname?: Record<string, string>[] } | '' | undefined) || undefined;
    for (const n of names?.hostname ?? []) if (n.name && !host.hostnames.includes(n.name)) host.hostnames.push(n.name);
    const ports = (h.ports as { port?: Record<string, unknown>[] } | '' | undefined) || undefined;
    for (const p of ports?.port ?? []) {
      if ((p.state as Record<string, string> | undefined)?.state !== 'open') continue;
      const svc = p.service as Record<string, string> | undefined;
      host.openPorts.push({ port: Number(p.portid), protocol: String(p.protocol ?? 'tcp'), service: svc?.name, product: svc?.product });
    }
    const os = (h.os as { osmatch?: Record<string, string>[] } | '' | undefined) || undefined;
    host.os = os?.osmatch?.[0]?.name;
    scan.hosts.push(host);
  });
  return scan;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
