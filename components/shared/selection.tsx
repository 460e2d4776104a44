import React, { useCallback, useState } from 'react';
import type { ListColumn } from './list-shell';

/**
 * The selection of a paged list: rows of the page by id, or every row matching the filter
 * (`allMatching`, which a page cannot hold). Picking one row out of "all matching" narrows the
 * selection back to the page's rows.
 */
export type RowSelection = {
  selected: Set<number>;
  allMatching: boolean;
  /** Anything selected (the bulk bar shows). */
  any: boolean;
  isSelected: (id: number) => boolean;
  allOnPage: (pageIds: number[]) => boolean;
  toggle: (id: number, checked: boolean, pageIds: number[]) => void;
  setPage: (checked: boolean, pageIds: number[]) => void;
  selectAllMatching: () => void;
  clear: () => void;
};

export function useRowSelection(): RowSelection {
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const clear = useCallback(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, []);
  return {
    selected,
    allMatching,
    any: allMatching || selected.size > 0,
    isSelected: (id) => allMatching || selected.has(id),
    allOnPage: (ids) => ids.length > 0 && ids.every((id) => selected.has(id)),
    toggle: (id, checked, pageIds) => {
      const next = new Set(allMatching ? pageIds : selected);
      if (checked) next.add(id);
      else next.delete(id);
      setAllMatching(false);
      setSelected(next);
    },
    setPage: (checked, pageIds) => {
      setAllMatching(false);
      setSelected(checked ? new Set(pageIds) : new Set());
    },
    selectAllMatching: () => setAllMatching(true),
    clear,
  };
}

/** The table's first column for writers: the "select page" checkbox. */
export function selectPageColumn(selection: RowSelection, pageIds: number[]): ListColumn {
  return {
    key: 'select',
    title: 'Select page',
    width: 34,
    label: <input type="checkbox" aria-label="Select page" checked={selection.allOnPage(pageIds)} onChange={(e) => selection.setPage(e.target.checked, pageIds)} />,
  };
}
