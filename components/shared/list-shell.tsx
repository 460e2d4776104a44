import React, { useEffect, useState } from 'react';
import { formatExact, pageRangeText, type BigCount } from '../../src/domain/counts';
import { useIpkStyles } from './styles';

export type SortDir = 'asc' | 'desc';
export type SortState = { key: string; dir: SortDir };

export type ListColumn = {
  key: string;
  label: React.ReactNode;
  width?: number | string;
  /** Without a pixel `width`: the narrowest it may get before the table scrolls sideways (FLEX_COLUMN_MIN when unset). */
  minWidth?: number;
  /** Header click sorts by this key (the page decides whether the server or the browser sorts). */
  sortable?: boolean;
  /** Accessible name of the header when `label` is not text (a checkbox, an empty actions column). */
  title?: string;
};

export type ListSearchProps = {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
  testId?: string;
  inputRef?: React.Ref<HTMLInputElement>;
};

export type PagerProps = {
  /** Offset of the first row shown; a decimal string beyond 2^53 (big IPv6 ranges). */
  offset: BigCount;
  limit: number;
  /** Rows on this page. */
  shown: number;
  total: BigCount;
  /** False when the total is a lower bound: Last and the page count become "N+". */
  exact?: boolean;
  sizes: number[];
  onChange: (next: { offset: string; limit: number }) => void;
  /** data-testid of the "1–50 of 254" line (pages keep their own). */
  rangeTestId?: string;
};

export type ListShellProps = {
  search?: ListSearchProps;
  /** Filters after the search box. */
  filters?: React.ReactNode;
  /** Between the toolbar and the table: a selection bar, a notice, an error. */
  aboveTable?: React.ReactNode;
  columns: ListColumn[];
  sort?: SortState | null;
  onSort?: (sort: SortState) => void;
  /** Table rows (<tr>…). */
  children?: React.ReactNode;
  /** Rows rendered; null while the first page loads. The empty state shows at 0. */
  rowCount: number | null;
  empty: React.ReactNode;
  pager?: PagerProps;
  testId?: string;
  className?: string;
  tableAttrs?: Record<`data-${string}`, string>;
};

/** The narrowest a column without a pixel width (notes, a name) may get unless it says otherwise. */
const FLEX_COLUMN_MIN = 80;

/**
 * The table's minimum width: its pixel columns plus the minimum of each other one. A fixed
 * layout gives the flexible columns what the pixel ones leave, which at 1000 px was nothing: the
 * device names shrank to "srv-…" and the IP list's Notes header was drawn over Last seen.
 */
function minTableWidth(columns: ListColumn[]): number {
  return columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : (c.minWidth ?? FLEX_COLUMN_MIN)), 0);
}

/**
 * The one list page body of the panel: toolbar (search and filters), a table with sortable
 * headers, an empty state with its call to action, and the pager (page size, page jump).
 * Pages own their data and rows; the shell owns how a list looks and is driven.
 */
export const ListShell: React.FC<ListShellProps> = ({ search, filters, aboveTable, columns, sort, onSort, children, rowCount, empty, pager, testId, className, tableAttrs }) => {
  useIpkStyles();
  return (
    <div className="ipk-list" data-testid="list-shell">
      {search || filters ? (
        <div className="ipk-list-toolbar">
          {search ? (
            <input
              ref={search.inputRef}
              className="ipk-input ipk-list-search"
              type="search"
              placeholder={search.placeholder}
              aria-label={search.label}
              value={search.value}
              onChange={(e) => search.onChange(e.target.value)}
              data-testid={search.testId ?? 'list-search'}
            />
          ) : null}
          {filters}
        </div>
      ) : null}
      {aboveTable}
      <div className="ipk-list-box">
        <table className={`ipk-table ${className ?? ''}`} style={{ minWidth: minTableWidth(columns) }} data-testid={testId} {...tableAttrs}>
          <colgroup>
            {columns.map((c) => (
              <col key={c.key} style={c.width !== undefined ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {columns.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort ?? null} onSort={onSort} />
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
        {rowCount === 0 ? (
          <div className="ipk-list-empty" data-testid="empty-state">
            {empty}
          </div>
        ) : null}
      </div>
      {pager ? <Pager {...pager} /> : null}
    </div>
  );
};

const SortHeader: React.FC<{ column: ListColumn; sort: SortState | null; onSort?: (s: SortState) => void }> = ({ column, sort, onSort }) => {
  if (!column.sortable || !onSort) return <th aria-label={column.title}>{column.label}</th>;
  const active = sort?.key === column.key;
  const dir = active ? sort!.dir : undefined;
  return (
    <th aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <button type="button" className="ipk-sort" onClick={() => onSort({ key: column.key, dir: active && dir === 'asc' ? 'desc' : 'asc' })} data-testid={`sort-${column.key}`}>
        {column.label}
        <span aria-hidden="true" className="ipk-sort-mark">
          {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
};

/** The page sizes every list offers. */
export const LIST_PAGE_SIZES = [20, 50, 100, 200];

type SortValue<T> = (row: T, key: string) => string | number | bigint | null | undefined;

/** Orders rows in the browser, for pages that hold every row (ranges, the catalog library). */
export function sortRows<T>(rows: T[], sort: SortState | null, value: SortValue<T>): T[] {
  if (!sort) return rows;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y, undefined, { numeric: true, sensitivity: 'base' });
    return sign * (x < y ? -1 : 1);
  });
}

/**
 * Search, sort and paging in the browser for a page that loaded every row: the shell's props
 * (spread `shell`, give `search` its texts) and the rows of the current page.
 */
export function useLocalList<T>(rows: T[] | null, matches: (row: T, needle: string) => boolean, value: SortValue<T>, initialSort: SortState | null = null) {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<SortState | null>(initialSort);
  const [view, setView] = useState({ offset: 0, limit: 50 });
  const needle = q.trim().toLowerCase();
  const matching = sortRows((rows ?? []).filter((r) => !needle || matches(r, needle)), sort, value);
  const shown = matching.slice(view.offset, view.offset + view.limit);
  return {
    needle,
    shown,
    search: { value: q, onChange: (v: string) => (setQ(v), setView((s) => ({ ...s, offset: 0 }))) },
    shell: {
      sort,
      onSort: setSort,
      rowCount: rows ? shown.length : null,
      pager: { offset: view.offset, limit: view.limit, shown: shown.length, total: matching.length, sizes: LIST_PAGE_SIZES, onChange: (n: { offset: string; limit: number }) => setView({ offset: Number(n.offset), limit: n.limit }) },
    },
  };
}

/**
 * First / Previous / Next / Last, "Page [n] of P" (type a page, Enter jumps) and the page size.
 * Offsets are BigInt all the way: the drill-down of a /64 pages through 2^64 addresses.
 */
export const Pager: React.FC<PagerProps> = ({ offset, limit, shown, total, exact = true, sizes, onChange, rangeTestId }) => {
  const off = BigInt(String(offset));
  const tot = BigInt(String(total));
  const per = BigInt(limit);
  const page = off / per + 1n;
  const pages = tot === 0n ? 1n : (tot + per - 1n) / per;
  const [jump, setJump] = useState(page.toString());
  useEffect(() => setJump(page.toString()), [page]);
  const go = (p: bigint): void => {
    const last = exact ? pages : p;
    const target = p < 1n ? 1n : p > last ? last : p;
    onChange({ offset: ((target - 1n) * per).toString(), limit });
  };
  const hasNext = exact ? off + BigInt(shown) < tot : shown >= limit;
  return (
    <div className="ipk-pager" data-testid="pager">
      <span data-testid={rangeTestId ?? 'pager-range'}>{pageRangeText(off, shown, tot, exact)}</span>
      <span className="ipk-pager-controls">
        <label>
          Rows per page{' '}
          <select className="ipk-select" aria-label="Rows per page" value={limit} onChange={(e) => onChange({ offset: '0', limit: Number(e.target.value) })} data-testid="page-size">
            {sizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={off === 0n} onClick={() => go(1n)} data-testid="first-page">
          First
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={off === 0n} onClick={() => go(page - 1n)} data-testid="prev-page">
          ‹ Prev
        </button>
        <form
          className="ipk-pager-jump"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^\d+$/.test(jump.trim())) go(BigInt(jump.trim()));
          }}
        >
          <label>
            Page{' '}
            <input className="ipk-input" inputMode="numeric" aria-label="Page number" value={jump} onChange={(e) => setJump(e.target.value)} size={Math.min(Math.max(jump.length, 2), 26)} data-testid="page-jump" />
          </label>{' '}
          <span data-testid="page-count">
            of {formatExact(pages)}
            {exact ? '' : '+'}
          </span>
        </form>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={!hasNext} onClick={() => go(page + 1n)} data-testid="next-page">
          Next ›
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={!exact || !hasNext} onClick={() => go(pages)} data-testid="last-page">
          Last
        </button>
      </span>
    </div>
  );
};

/** Data Ops: where imports (CSV, bundle, Nmap) are run from the panel. */
export const IMPORT_PATH = '/ui/pages/data-ops';

export type EmptyStateProps = {
  /** What is empty ("No hosts yet." / "No hosts match."). */
  message: string;
  /** For writers: the buttons that fill the list (Add IP, Import, Create a range). */
  actions?: React.ReactNode;
  /** For readers: who can add here. */
  readerHint?: string;
  canWrite: boolean;
};

/** An empty list says what to do next: writers get the actions, readers are told who can add. */
export const EmptyState: React.FC<EmptyStateProps> = ({ message, actions, readerHint, canWrite }) => (
  <>
    <div className="ipk-list-empty-msg">{message}</div>
    {canWrite && actions ? <div className="ipk-list-empty-actions">{actions}</div> : null}
    {!canWrite && readerHint ? (
      <div className="ipk-hint" data-testid="empty-reader-hint">
        {readerHint}
      </div>
    ) : null}
  </>
);

export default ListShell;
