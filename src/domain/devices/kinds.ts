/** What a device is. LAIM's seven categories, VMI's VMs and hypervisors, and storage. */
export const DEVICE_KINDS = ['server', 'vm', 'hypervisor', 'laptop', 'desktop', 'smart_tv', 'wap', 'router', 'switch', 'storage', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Platforms are an open list (a new hypervisor needs no release); these are the known ones. */
export const KNOWN_PLATFORMS = ['vmware', 'nutanix', 'proxmox', 'hyperv', 'kvm', 'physical'] as const;
export const PLATFORM_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

export const POWER_STATES = ['on', 'off', 'suspended', 'unknown'] as const;
export type PowerState = (typeof POWER_STATES)[number];

/**
 * The one spelling of a power state: vSphere says POWERED_ON / poweredOn, Nutanix ON, people "on".
 * Anything unrecognised is `unknown` rather than a new value nobody filters for.
 */
export function normalizePowerState(input: string): PowerState {
  const s = input.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (s === 'on' || s === 'poweredon' || s === 'running' || s === 'up') return 'on';
  if (s === 'off' || s === 'poweredoff' || s === 'stopped' || s === 'down' || s === 'shutdown') return 'off';
  if (s === 'suspended' || s === 'paused') return 'suspended';
  return 'unknown';
}
