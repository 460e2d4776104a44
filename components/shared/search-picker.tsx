import React, { useEffect, useRef, useState } from 'react';
import { Chip } from './chip';
import { useIpkStyles } from './styles';

export type PickerOption = { id: number; label: string; hint?: string };

export type SearchPickerProps = {
  value: PickerOption | null;
  onChange: (value: PickerOption | null) => void;
  /** Asks the server for matches (a few at a time): never a <select> of every row. */
  search: (q: string, signal: AbortSignal) => Promise<PickerOption[]>;
  placeholder?: string;
  id?: string;
  testId?: string;
  clearLabel?: string;
  /** The text typed and not (yet) chosen: a form refuses to save while it is there, rather than drop it. */
  onTextChange?: (text: string) => void;
};

/** The one option whose label is exactly the text (case-insensitive), if the search finds it. */
export async function exactOption(search: SearchPickerProps['search'], text: string, signal: AbortSignal = new AbortController().signal): Promise<PickerOption | null> {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  const found = (await search(text.trim(), signal)).filter((o) => o.label.toLowerCase() === q);
  return found.length === 1 ? found[0]! : null;
}

/**
 * Async searchable single-select: type to search, pick with click or Enter, × clears. Text left
 * typed resolves to the option of exactly that name on leaving the field; otherwise it stays,
 * reported through onTextChange.
 */
export const SearchPicker: React.FC<SearchPickerProps> = ({ value, onChange, search, placeholder = 'Search…', id, testId, clearLabel = 'Clear', onTextChange }) => {
  useIpkStyles();
  const [text, setRawText] = useState('');
  const setText = (t: string): void => {
    setRawText(t);
    onTextChange?.(t);
  };
  // A value chosen by the form itself (an exact name resolved on save) replaces the typed text.
  const valueId = value?.id;
  useEffect(() => {
    if (valueId !== undefined) {
      setRawText('');
      onTextChange?.('');
    }
  }, [valueId]);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PickerOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const ctrl = new AbortController();
    setLoading(true);
    const t = setTimeout(() => {
      search(text.trim(), ctrl.signal)
        .then((r) => {
          setItems(r);
          setActive(0);
          setLoading(false);
        })
        .catch(() => setLoading(false));
    }, 150);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [text, open, search]);
  const pick = (o: PickerOption): void => {
    onChange(o);
    setText('');
    setOpen(false);
  };
  return (
    <div className="ipk-picker-box" data-testid={testId ?? 'search-picker'}>
      {value ? (
        <Chip label={value.label} color="#e0e7ff" textColor="#1e1b4b" onRemove={() => onChange(null)} removeLabel={clearLabel} testId="picker-value" />
      ) : null}
      <input
        id={id}
        ref={input}
        value={text}
        placeholder={value ? 'Change…' : placeholder}
        aria-label={placeholder}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setTimeout(() => setOpen(false), 150);
          const typed = text;
          if (typed.trim())
            void exactOption(search, typed)
              .then((o) => {
                if (o) pick(o);
              })
              .catch(() => undefined);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (items[active]) pick(items[active]!);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {open ? (
        <div className="ipk-pop" style={{ top: '100%', left: 0, right: 0, marginTop: 4 }} role="listbox" data-testid="picker-options">
          {loading && items.length === 0 ? <div className="ipk-empty">Searching…</div> : null}
          {!loading && items.length === 0 ? <div className="ipk-empty">No match</div> : null}
          {items.map((o, i) => (
            <div
              key={o.id}
              className="ipk-opt"
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
            >
              <span>{o.label}</span>
              {o.hint ? <small>{o.hint}</small> : null}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
};

export default SearchPicker;
