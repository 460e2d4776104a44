import React from 'react';
import { KIND_CHIPS, kindColor, kindLabel } from '../devices/model';
import { BarList, Columns, Donut, SplitBar, type Datum } from './svg-charts';

import type { DeviceDashboardData } from '../../src/services/device-dashboard-wire';

export type { DeviceDashboardData };

const LIST = '/ui/resources/devices';
const POWER_COLORS: Record<string, string> = { on: '#16a34a', off: '#dc2626', suspended: '#d97706', unknown: '#94a3b8' };
const card: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: '16px 20px', flex: '1 1 380px', minWidth: 320, boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };
const h3: React.CSSProperties = { fontSize: 14, fontWeight: 600, margin: '0 0 12px' };

const counts = (rows: { value: string | null; count: number }[], param: string, label: (v: string) => string = (v) => v, color?: (v: string) => string | undefined): Datum[] =>
  [...rows].sort((a, b) => b.count - a.count).map((r) => ({ label: r.value ? label(r.value) : 'not set', value: r.count, href: r.value ? `${LIST}?${param}=${encodeURIComponent(r.value)}` : undefined, color: r.value ? color?.(r.value) : '#cbd5e1' }));

/** Platform distribution, power states, devices per kind, network use and the last 24 h of changes, as SVG charts. */
export const DeviceSummary: React.FC<{ data: DeviceDashboardData }> = ({ data }) => {
  const kindOrder = new Map<string, number>(KIND_CHIPS.map((k, i) => [k.kind, i]));
  const hours = data.changes_24h.by_hour.map((h) => ({ label: `${h.hour.slice(11, 13)}h`, value: h.count }));
  return (
    <section aria-label="Devices" data-testid="device-dashboard" style={{ marginBottom: 24 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
        <div style={card}>
          <h3 style={h3}>Platform distribution</h3>
          {data.platforms.length ? <BarList data={counts(data.platforms, 'platform')} title="Devices per platform" testId="chart-platforms" /> : <p className="ipk-muted">No devices yet.</p>}
        </div>
        <div style={card}>
          <h3 style={h3}>Power state</h3>
          {data.power_states.length ? <Donut data={counts(data.power_states, 'power_state', (v) => v, (v) => POWER_COLORS[v.toLowerCase()])} title="Devices per power state" testId="chart-power" /> : <p className="ipk-muted">No devices yet.</p>}
        </div>
        <div style={card}>
          <h3 style={h3}>Devices per kind</h3>
          {data.kinds.length ? (
            <BarList data={counts([...data.kinds].sort((a, b) => (kindOrder.get(a.value ?? '') ?? 99) - (kindOrder.get(b.value ?? '') ?? 99)), 'kind', kindLabel, kindColor)} title="Devices per kind" testId="chart-kinds" />
          ) : (
            <p className="ipk-muted">No devices yet.</p>
          )}
        </div>
        <div style={card}>
          <h3 style={h3}>Network statistics</h3>
          <SplitBar
            data={[
              { label: 'In use', value: data.networks.in_use, color: '#2563eb' },
              { label: 'Not in use', value: data.networks.not_in_use, color: '#cbd5e1' },
            ]}
            title="Networks in use and not in use"
            unit="networks"
            testId="chart-networks"
          />
          <h3 style={{ ...h3, marginTop: 20 }}>
            Changes in the last 24 h:{' '}
            <span data-testid="changes-24h">
              {data.changes_24h.total.toLocaleString('en-US')} on {data.changes_24h.devices.toLocaleString('en-US')} device{data.changes_24h.devices === 1 ? '' : 's'}
            </span>
          </h3>
          <Columns data={hours} title="Device changes per hour, last 24 hours" unit="changes" testId="chart-changes" />
        </div>
      </div>
    </section>
  );
};
