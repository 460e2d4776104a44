import React, { useEffect, useRef } from 'react';
import { Navigation, type NavigationElementWithChildrenProps } from '@adminjs/design-system';
import { useNavigationResources, useTranslation, type ResourceJSON } from 'adminjs';

const GROUP_HREF = '#nav-group-';

/**
 * AdminJS's resource navigation with keyboard access. Its groups (Inventory, Catalog,
 * Administration) render as <a> without href, which never takes focus: every page inside a
 * closed group was out of reach without a mouse. Each group gets an in-page href (so Tab stops
 * on it and Enter toggles it) and is announced as a button with its expanded state.
 */
const SidebarResourceSection: React.FC<{ resources: ResourceJSON[] }> = ({ resources }) => {
  const elements = useNavigationResources(resources) as NavigationElementWithChildrenProps[];
  const { translateLabel } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const focusable = elements.map((el, i) =>
    el.elements
      ? {
          ...el,
          href: `${GROUP_HREF}${i}`,
          onClick: (event: React.MouseEvent<HTMLAnchorElement>) => {
            event.preventDefault();
            el.onClick?.(event, el);
          },
        }
      : el,
  );
  useEffect(() => {
    box.current?.querySelectorAll<HTMLAnchorElement>(`a[href^="${GROUP_HREF}"]`).forEach((a) => {
      const el = elements[Number(a.getAttribute('href')!.slice(GROUP_HREF.length))];
      a.setAttribute('role', 'button');
      a.setAttribute('aria-expanded', el?.isOpen ? 'true' : 'false');
    });
  });
  return (
    <div ref={box} data-testid="sidebar-resources">
      <Navigation label={translateLabel('navigation')} elements={focusable} />
    </div>
  );
};

export default SidebarResourceSection;
