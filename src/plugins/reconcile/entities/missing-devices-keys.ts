/** The plan's set of (source, device id) pairs a run reports (devices.ts adds, missing-devices.ts reads). */
export const SEEN_DEVICES = 'devices:seen';

export const seenKey = (source: string, deviceId: number): string => `${source}\u0000${deviceId}`;

/** The device history's field for one source's sighting: `seen.vcenter` reported → missing → reported. */
export const seenField = (source: string): string => `seen.${source}`.slice(0, 64);
