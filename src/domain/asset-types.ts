export const ASSET_TYPES = ['VM', 'OS', 'BMC', 'VIP', 'OTHER'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

const ALIASES: Record<string, AssetType> = { IPMI_ILO: 'BMC' };

/** Maps an input type (case-insensitive, with the original's IPMI_iLO alias) to an AssetType; null if unknown. */
export function normalizeAssetType(input: string): AssetType | null {
  const upper = input.trim().toUpperCase();
  if ((ASSET_TYPES as readonly string[]).includes(upper)) return upper as AssetType;
  return ALIASES[upper] ?? null;
}

/** Types that may be linked to a host. */
export const HOST_LINKABLE_TYPES: ReadonlySet<AssetType> = new Set(['OS', 'BMC']);

/** The host name the original gives a BMC created without a host. */
export function bmcHostName(address: string): string {
  return `server_${address}`;
}
