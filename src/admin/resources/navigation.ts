/** Sidebar groups (names are translated in locale.ts). */
export const INVENTORY = { name: 'Inventory', icon: 'Server' };
export const CATALOG = { name: 'Catalog', icon: 'Bookmark' };
export const ADMINISTRATION = { name: 'Administration', icon: 'Shield' };
