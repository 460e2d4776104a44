import { asArray, asRecord, toCount } from '../../src/domain/coerce.js';
import { ConnectorError, type HttpClient } from '../../src/plugins/connector-http.js';

/** Most pages one list may take: a server whose total keeps growing must not keep a run going forever. */
const MAX_PAGES = 10_000;

/**
 * Every entity of a Prism Central v3 list (`POST /api/nutanix/v3/{vms|hosts}/list`). Prism caps a
 * page (500 on most versions) whatever `length` asks, so the next offset is what was received,
 * not what was asked, until `offset ≥ total_matches`. Each page is handed to `use` and dropped; the
 * next one is already asked by then (one page ahead, in order).
 */
export async function listAll(http: HttpClient, headers: Record<string, string>, kind: 'vm' | 'host', pageSize: number, use: (entities: unknown[], offset: number, total: number) => void): Promise<number> {
  const ask = (at: number) => http.json('POST', `api/nutanix/v3/${kind}s/list`, { headers, body: JSON.stringify({ kind, offset: at, length: pageSize }), idempotent: true, what: `listing ${kind}s (offset ${at})` });
  let offset = 0;
  let total = Infinity;
  let next = ask(0);
  for (let page = 0; offset < total; page++) {
    const { data } = await next;
    const answer = asRecord(data);
    const entities = asArray(answer.entities);
    const matches = toCount(asRecord(answer.metadata).total_matches);
    if (matches === null || !Array.isArray(answer.entities)) throw new ConnectorError(`${http.label} gave an unexpected answer while listing ${kind}s: no metadata.total_matches or entities (is the URL Prism Central's, port 9440?).`, undefined, 'bad_answer');
    total = matches;
    if (entities.length === 0) break; // fewer than announced (entities deleted while paging): what there is, is all
    const at = offset;
    offset += entities.length;
    if (offset < total) {
      if (page + 1 >= MAX_PAGES) throw new ConnectorError(`Nutanix kept sending ${kind} pages (${MAX_PAGES}); the list does not end.`, undefined, 'bad_answer');
      // The total is known: the next page is asked before this one is mapped, so Prism builds it meanwhile.
      next = ask(offset);
      next.catch(() => undefined); // thrown when awaited; never left unhandled if mapping this page fails first
    }
    use(entities, at, total);
  }
  return Math.min(offset, total);
}
