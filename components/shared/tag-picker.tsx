import React, { useMemo, useRef, useState } from 'react';
import { Chip } from './chip';
import { useIpkStyles } from './styles';

export type TagOption = { name: string; color?: string | null; count?: number };

export type TagPickerProps = {
  value: string[];
  onChange: (names: string[]) => void;
  /** Existing tags, suggested as you type. */
  options: TagOption[];
  /**
   * Typed text becomes a tag (created on save) on Enter without a suggestion, comma or leaving the
   * field, so nothing typed is dropped. Off for filters, which only pick existing tags.
   */
  allowNew?: boolean;
  placeholder?: string;
  id?: string;
  testId?: string;
};

/**
 * Chips plus type-ahead from existing tags: Enter or click adds, × or Backspace (in the empty
 * input) removes. Suggestions stay hidden until the input is focused or typed in.
 */
export const TagPicker: React.FC<TagPickerProps> = ({ value, onChange, options, placeholder = 'Add tags…', id, testId, allowNew = false }) => {
  useIpkStyles();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const colorOf = useMemo(() => new Map(options.map((o) => [o.name, o.color ?? null])), [options]);
  const suggestions = useMemo(() => {
    const q = text.trim().toLowerCase();
    return options.filter((o) => !value.includes(o.name) && (!q || o.name.toLowerCase().includes(q))).slice(0, 8);
  }, [options, value, text]);
  const add = (name: string): void => {
    if (!value.includes(name)) onChange([...value, name]);
    setText('');
    setActive(0);
    input.current?.focus();
  };
  /** The typed text as tags ("a, b" is two): an existing tag by its stored name, else as typed (the server names a bad one). */
  const commitTyped = (focus = true): void => {
    const typed = text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    setText('');
    setActive(0);
    const names = typed.map((t) => options.find((o) => o.name.toLowerCase() === t)?.name ?? t).filter((n, i, all) => !value.includes(n) && all.indexOf(n) === i);
    if (names.length) onChange([...value, ...names]);
    if (focus) input.current?.focus();
  };
  const onKey = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const exact = options.find((o) => o.name.toLowerCase() === text.trim().toLowerCase() && !value.includes(o.name));
      const pick = exact ?? suggestions[active];
      if (pick && (text.trim() || open)) add(pick.name);
      else if (allowNew && text.trim()) commitTyped();
    } else if (e.key === ',' && allowNew) {
      e.preventDefault();
      commitTyped();
    } else if (e.key === 'Backspace' && text === '' && value.length) {
      onChange(value.slice(0, -1));
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, suggestions.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };
  return (
    <div className="ipk-tagbox" data-testid={testId ?? 'tag-picker'} onClick={() => input.current?.focus()}>
      {value.map((name) => (
        <Chip key={name} label={name} color={colorOf.get(name)} onRemove={() => onChange(value.filter((v) => v !== name))} />
      ))}
      <input
        id={id}
        ref={input}
        value={text}
        placeholder={value.length ? '' : placeholder}
        aria-label={placeholder}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          // Leaving the field (to another one, or to the submit button) keeps what was typed.
          if (allowNew && text.trim()) commitTyped(false);
          setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKey}
      />
      {open ? (
        <div className="ipk-pop" style={{ top: '100%', left: 0, marginTop: 4 }} role="listbox" data-testid="tag-suggestions">
          {suggestions.length === 0 ? (
            <div className="ipk-empty">{options.length ? 'No matching tag' : 'No tags yet'}</div>
          ) : (
            suggestions.map((o, i) => (
              <div
                key={o.name}
                className="ipk-opt"
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(o.name);
                }}
              >
                <Chip label={o.name} color={o.color} />
                {o.count !== undefined ? <small>{o.count}</small> : null}
              </div>
            ))
          )}
        </div>
      ) : null}
    </div>
  );
};

export default TagPicker;
