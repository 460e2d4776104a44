import React, { useEffect, useRef } from 'react';
import { OriginalTopBar } from 'adminjs';

type Props = React.ComponentProps<typeof OriginalTopBar> & { toggleSidebar: () => void };

/**
 * AdminJS's top bar, with its menu toggle usable from the keyboard. Below 1324 px the sidebar
 * folds away behind that toggle, which AdminJS renders as a clickable <div>: no focus, no
 * Enter. It becomes a named button that says whether the sidebar is open.
 */
const TopBar: React.FC<Props> = (props) => {
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef(props.toggleSidebar);
  toggle.current = props.toggleSidebar;
  useEffect(() => {
    const menu = box.current?.querySelector<HTMLElement>('[data-css="topbar"] > :first-child');
    if (!menu) return undefined;
    menu.setAttribute('role', 'button');
    menu.setAttribute('tabindex', '0');
    menu.setAttribute('aria-label', 'Menu');
    menu.setAttribute('data-testid', 'sidebar-toggle');
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle.current();
      }
    };
    menu.addEventListener('keydown', onKey);
    return () => menu.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div ref={box} style={{ display: 'contents' }}>
      <OriginalTopBar {...props} />
    </div>
  );
};

export default TopBar;
