/** Device type detection: one case (or more) per rule, each naming the rule that must decide it, plus the orderings that matter. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeviceKind } from '../../src/domain/devices/kinds.js';
import { detectDeviceKind, TYPE_RULE_IDS, type DeviceStrings } from '../../src/domain/devices/type-detection.js';
import { generateLab } from '../fakes/lab-devices.js';

const CASES: [DeviceStrings, DeviceKind, string | null][] = [
  [{ vendor: 'VMware, Inc.', model: 'VMware Virtual Platform', os: 'Ubuntu 22.04' }, 'vm', 'vm-virtual-platform'],
  [{ vendor: 'VMware, Inc.', model: 'VMware7,1', os: 'Windows Server 2022' }, 'vm', 'vm-virtual-platform'],
  [{ vendor: 'Microsoft Corporation', model: 'Virtual Machine' }, 'vm', 'vm-virtual-platform'],
  [{ vendor: 'Nutanix', model: 'AHV' }, 'vm', 'vm-virtual-platform'],
  [{ vendor: 'QEMU', model: 'Standard PC (Q35 + ICH9, 2009) QEMU' }, 'vm', 'vm-virtual-platform'],
  [{ vendor: 'Dell Inc.', model: 'PowerEdge R750', os: 'VMware ESXi 8.0.2' }, 'hypervisor', 'hypervisor-esxi'],
  [{ vendor: 'Supermicro', model: 'SYS-1029P', os: 'Proxmox VE 8.1' }, 'hypervisor', 'hypervisor-other'],
  [{ vendor: 'Nutanix', model: 'NX-3060-G7', os: 'Nutanix AHV 20220304.342' }, 'hypervisor', 'hypervisor-other'],
  [{ vendor: 'LG Electronics', model: 'OLED55C1', os: 'webOS 6.0' }, 'smart_tv', 'tv-os'],
  [{ vendor: 'Samsung', model: 'QN65Q80B', os: 'Tizen 6.5' }, 'smart_tv', 'tv-os'],
  [{ vendor: 'Samsung', model: 'QN65Q80B Smart TV' }, 'smart_tv', 'tv-model'],
  [{ vendor: 'Sony', model: 'Bravia XR-55A80J' }, 'smart_tv', 'tv-model'],
  [{ vendor: 'NetApp', model: 'FAS8300', os: 'ONTAP 9.12' }, 'storage', 'storage'],
  [{ vendor: 'Synology', model: 'DS920+ DiskStation', os: 'DSM 7.2' }, 'storage', 'storage'],
  [{ vendor: 'Ubiquiti', model: 'USW-Pro-24-PoE', os: 'unifi' }, 'switch', 'switch-unifi'],
  [{ vendor: 'MikroTik', model: 'CRS326-24G-2S+', os: 'RouterOS 7.12' }, 'switch', 'switch-mikrotik-crs'],
  [{ vendor: 'Aruba', model: 'Aruba 2930F-48G-PoE+', os: 'arubaos-switch' }, 'switch', 'switch-aruba-hpe'],
  [{ vendor: 'HPE', model: 'J9772A ProCurve 2530-48G' }, 'switch', 'switch-aruba-hpe'],
  [{ vendor: 'Ubiquiti', model: 'UniFi U6-Pro', os: 'unifi' }, 'wap', 'wap-unifi'],
  [{ vendor: 'Ubiquiti', model: 'UAP-AC-LR' }, 'wap', 'wap-unifi'],
  [{ vendor: 'Aruba', model: 'AP-515', os: 'arubaos' }, 'wap', 'wap-aruba'],
  [{ vendor: 'Cisco', model: 'AIR-AP2802I-B-K9', os: 'ios' }, 'wap', 'wap-cisco'],
  [{ vendor: 'Cisco', model: 'C9120AXI-B' }, 'wap', 'wap-cisco'],
  [{ vendor: 'Cisco Meraki', model: 'Meraki MR46' }, 'wap', 'wap-other'],
  [{ vendor: 'Cisco', model: 'ISR4331/K9', os: 'ios-xe' }, 'router', 'router-cisco'],
  [{ vendor: 'Cisco', model: 'ASR1001-X', os: 'ios-xe' }, 'router', 'router-cisco'],
  [{ vendor: 'Juniper', model: 'MX204', os: 'junos' }, 'router', 'router-juniper'],
  [{ vendor: 'Juniper', model: 'SRX345', os: 'junos' }, 'router', 'router-juniper'],
  [{ vendor: 'MikroTik', model: 'CCR2004-16G-2S+', os: 'RouterOS 7.12' }, 'router', 'router-mikrotik-ubiquiti'],
  [{ vendor: 'Ubiquiti', model: 'EdgeRouter 4' }, 'router', 'router-mikrotik-ubiquiti'],
  [{ vendor: 'Ubiquiti', model: 'UniFi Dream Machine Pro' }, 'router', 'router-mikrotik-ubiquiti'],
  [{ vendor: 'Fortinet', model: 'FG-100F', os: 'FortiOS 7.2' }, 'router', 'router-firewall'],
  [{ vendor: 'Netgate', model: 'SG-2100', os: 'pfSense 2.7' }, 'router', 'router-firewall'],
  [{ vendor: 'VyOS', model: 'x86', os: 'VyOS 1.4' }, 'router', 'router-os'],
  [{ vendor: 'Cisco', model: 'WS-C3850-48P', os: 'ios-xe' }, 'switch', 'switch-cisco'],
  [{ vendor: 'Cisco', model: 'Catalyst 9300-48P' }, 'switch', 'switch-cisco'],
  [{ vendor: 'Cisco', model: 'C9300-48UXM' }, 'switch', 'switch-cisco'],
  [{ vendor: 'Cisco', model: 'Nexus 93180YC-EX', os: 'nxos' }, 'switch', 'switch-cisco'],
  [{ vendor: 'Juniper', model: 'EX4300-48T', os: 'junos' }, 'switch', 'switch-juniper-arista'],
  [{ vendor: 'Arista', model: 'DCS-7050SX3-48YC8', os: 'EOS 4.30' }, 'switch', 'switch-juniper-arista'],
  [{ vendor: 'Dell', model: 'PowerSwitch S5248F-ON' }, 'switch', 'switch-other'],
  [{ vendor: 'Netgear', model: 'GS724T' }, 'switch', 'switch-other'],
  [{ vendor: 'Edgecore', model: 'AS7326-56X', os: 'SONiC 202305' }, 'switch', 'switch-os'],
  [{ vendor: 'Lenovo', model: 'ThinkPad T14 Gen 3', os: 'Windows 11 Pro' }, 'laptop', 'laptop-line'],
  [{ vendor: 'Apple', model: 'MacBook Pro 14"', os: 'macOS 14' }, 'laptop', 'laptop-line'],
  [{ vendor: 'Dell', model: 'Latitude 5440' }, 'laptop', 'laptop-line'],
  [{ vendor: 'HP', model: 'EliteDesk 800 G6', os: 'Windows 10 Enterprise' }, 'desktop', 'desktop-line'],
  [{ vendor: 'Dell', model: 'OptiPlex 7090' }, 'desktop', 'desktop-line'],
  [{ vendor: 'Apple', model: 'Mac mini (M2)' }, 'desktop', 'desktop-line'],
  [{ vendor: 'Dell', model: 'PowerEdge R650', os: 'Ubuntu 22.04' }, 'server', 'server-line'],
  [{ vendor: 'HPE', model: 'ProLiant DL380 Gen10', os: 'RHEL 9' }, 'server', 'server-line'],
  [{ vendor: 'Acme', model: 'Outdoor wireless access point' }, 'wap', 'wap-keyword'],
  [{ vendor: 'Acme', model: '24-port managed switch' }, 'switch', 'switch-keyword'],
  [{ vendor: 'Acme', model: 'LTE router 4G' }, 'router', 'router-keyword'],
  [{ vendor: 'Acme', model: 'Notebook 15' }, 'laptop', 'laptop-keyword'],
  [{ vendor: 'Acme', model: 'Tower workstation' }, 'desktop', 'desktop-keyword'],
  [{ vendor: 'Acme', model: 'X100', os: 'Microsoft Windows Server 2022 Standard' }, 'server', 'server-keyword'],
  [{ vendor: 'Acme', model: 'X100', sourceType: 'wireless' }, 'wap', 'source-type'],
  [{ vendor: 'Acme', model: 'X100', sourceType: 'storage' }, 'storage', 'source-type'],
  [{ vendor: 'Acme', model: 'X100', sourceType: 'network' }, 'other', null],
  [{}, 'other', null],
];

describe('device type detection', () => {
  for (const [input, kind, rule] of CASES) {
    test(`${rule ?? 'no rule'}: ${[input.vendor, input.model, input.os, input.sourceType].filter(Boolean).join(' / ') || '(nothing)'} → ${kind}`, () => {
      assert.deepEqual(detectDeviceKind(input), { kind, rule });
    });
  }

  test('every rule has a case', () => {
    const covered = new Set(CASES.map((c) => c[2]));
    assert.deepEqual(TYPE_RULE_IDS.filter((id) => !covered.has(id)), []);
  });

  test('orderings: a VM is not its hypervisor, UniFi switches are not access points, strings beat the source type, product lines beat keywords', () => {
    assert.equal(detectDeviceKind({ model: 'VMware Virtual Platform', os: 'VMware ESXi 8.0' }).kind, 'vm');
    assert.equal(detectDeviceKind({ vendor: 'Ubiquiti', model: 'UniFi Switch 24 PoE' }).kind, 'switch');
    assert.equal(detectDeviceKind({ vendor: 'Cisco', model: 'WS-C2960X-48FPD-L', sourceType: 'server' }).kind, 'switch');
    assert.equal(detectDeviceKind({ vendor: 'Dell', model: 'PowerEdge R650', description: 'default gateway router for lab' }).kind, 'server');
    assert.equal(detectDeviceKind({ vendor: 'Cisco', model: 'ISR4331/K9', description: 'Cisco IOS Software [Bengaluru], ISR Software' }).kind, 'router');
  });

  test('case and surrounding spaces do not matter; description text is read by keyword rules', () => {
    assert.equal(detectDeviceKind({ model: '  ws-c3850-48p ' }).kind, 'switch');
    assert.equal(detectDeviceKind({ model: 'X', description: 'Linux backup server' }).kind, 'server');
  });

  test('every generated lab device is detected as the kind it was built as', () => {
    for (const d of generateLab(27).devices) {
      assert.equal(detectDeviceKind({ vendor: d.vendor, model: d.model, os: d.os }).kind, d.expectedKind, `${d.vendor} ${d.model}`);
    }
  });
});
