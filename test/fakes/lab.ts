/**
 * The generated lab served by both discovery fakes at once: what a merge/dedupe test or the
 * 20k-device bench starts with one call.
 */
import { generateLab, type LabSplit } from './lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from './librenms.js';
import { netdiscoFromLab, startFakeNetdisco, type FakeNetdisco } from './netdisco.js';

export interface FakeLab {
  lab: LabSplit;
  netdisco: FakeNetdisco;
  librenms: FakeLibrenms;
  close(): Promise<void>;
}

export async function startFakeLab(count: number, overlap = 0.4): Promise<FakeLab> {
  const lab = generateLab(count, overlap);
  const netdisco = await startFakeNetdisco({ devices: netdiscoFromLab(lab) });
  const librenms = await startFakeLibrenms({ devices: librenmsFromLab(lab) });
  return { lab, netdisco, librenms, close: async () => void (await Promise.all([netdisco.close(), librenms.close()])) };
}
