/**
 * A MAC address in its one stored spelling, `aa:bb:cc:dd:ee:ff`, from any of the usual ones
 * (`AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`, `aabbccddeeff`); null when it is not 48 bits of hex.
 */
export function normalizeMac(input: string): string | null {
  const hex = input.trim().toLowerCase().replace(/[:.\-\s]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}
