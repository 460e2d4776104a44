import React, { useState } from 'react';
import { api, formErrors } from '../shared/api';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { dnsText, paths, put, POOL_STATUSES, POOL_TYPES, TYPE_LABELS, type Pool, type PoolStatus, type PoolType } from './model';

type Draft = {
  pool_name: string;
  pool_type: PoolType;
  network_cidr: string;
  gateway: string;
  dns_servers: string;
  vlan_id: string;
  status: PoolStatus;
  auto_assign_enabled: boolean;
  allow_manual_reservation: boolean;
  utilization_alert_threshold: string;
  allocation_order: 'lowest' | 'highest';
  delegation_prefix_length: string;
  group_name: string;
  description: string;
  netbox_prefix_id: string;
};

const draftOf = (p: Pool | null): Draft => ({
  pool_name: p?.pool_name ?? '',
  pool_type: p?.pool_type ?? 'IPV4_PRIVATE',
  network_cidr: p?.network_cidr ?? '',
  gateway: p?.gateway ?? '',
  dns_servers: dnsText(p?.dns_servers ?? null),
  vlan_id: p?.vlan_id == null ? '' : String(p.vlan_id),
  status: p?.status ?? 'ACTIVE',
  auto_assign_enabled: p?.auto_assign_enabled ?? true,
  allow_manual_reservation: p?.allow_manual_reservation ?? true,
  utilization_alert_threshold: p?.utilization_alert_threshold == null ? '80' : String(p.utilization_alert_threshold),
  allocation_order: p?.allocation_order ?? 'lowest',
  delegation_prefix_length: p?.delegation_prefix_length == null ? '' : String(p.delegation_prefix_length),
  group_name: p?.group_name ?? '',
  description: p?.description ?? '',
  netbox_prefix_id: p?.netbox_prefix_id == null ? '' : String(p.netbox_prefix_id),
});

/** A number field as typed: empty is null; anything else goes as typed text so the server names what is wrong with it. */
const numberOrText = (s: string): number | string | null => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());

/**
 * The body the API validates. Nothing is checked here: the server's zod schema is the one rule
 * for a CIDR, a gateway inside the network, DNS addresses and a VLAN, and its 422 names the field,
 * which the form shows under that field.
 */
function bodyOf(d: Draft): Record<string, unknown> {
  return {
    pool_name: d.pool_name.trim(),
    pool_type: d.pool_type,
    network_cidr: d.network_cidr.trim(),
    gateway: d.gateway.trim() || null,
    dns_servers: d.dns_servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    vlan_id: numberOrText(d.vlan_id),
    status: d.status,
    auto_assign_enabled: d.auto_assign_enabled,
    allow_manual_reservation: d.allow_manual_reservation,
    utilization_alert_threshold: numberOrText(d.utilization_alert_threshold) ?? 80,
    allocation_order: d.allocation_order,
    ...(d.pool_type === 'IPV6_PREFIX_DELEGATION' ? { delegation_prefix_length: numberOrText(d.delegation_prefix_length) } : {}),
    group_name: d.group_name.trim() || null,
    description: d.description.trim() || null,
    netbox_prefix_id: numberOrText(d.netbox_prefix_id),
  };
}

const mono: React.CSSProperties = { fontFamily: 'ui-monospace, monospace' };

/** Create or edit a pool in a drawer; server errors appear next to their field. */
export const PoolFormDrawer: React.FC<{ pool: Pool | null; onClose: () => void; onDone: (message: string) => void }> = ({ pool, onClose, onDone }) => {
  const [d, setD] = useState<Draft>(() => draftOf(pool));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => setD((prev) => ({ ...prev, [k]: v }));
  const text = (k: keyof Draft, label: string, hint?: string, style?: React.CSSProperties): React.ReactNode => (
    <Field label={label} error={errors[k]} hint={hint} htmlFor={`pool-${k}`}>
      <input id={`pool-${k}`} className="ipk-input" value={d[k] as string} onChange={(e) => set(k, e.target.value as never)} style={style} aria-invalid={errors[k] ? true : undefined} />
    </Field>
  );
  const save = async (): Promise<void> => {
    setBusy(true);
    setErrors({});
    try {
      const saved = pool ? await put<Pool>(paths.pool(pool.id), bodyOf(d)) : await api.post<Pool>(paths.pools(), bodyOf(d));
      onDone(pool ? `Pool ${saved.pool_name} saved.` : `Pool ${saved.pool_name} (${saved.network_cidr}) created.`);
    } catch (err) {
      // A 409 is a duplicate name or an overlapping network: the message says which.
      setErrors(formErrors(err, /name/i.test((err as Error).message) ? 'pool_name' : 'network_cidr'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      title={pool ? `Edit pool ${pool.pool_name}` : 'New IP pool'}
      subtitle="A pool is a range with allocation settings: its addresses count in the range's utilization."
      onClose={onClose}
      onSubmit={() => void save()}
      formId="pool-form"
      testId="pool-drawer"
      footer={<FormFooter formId="pool-form" submitLabel={pool ? 'Save' : 'Create pool'} disabled={busy || !d.pool_name.trim() || !d.network_cidr.trim()} onCancel={onClose} />}
    >
      {text('pool_name', 'Pool name')}
      <Field label="Pool type" error={errors.pool_type} htmlFor="pool-pool_type">
        <select id="pool-pool_type" className="ipk-select" value={d.pool_type} onChange={(e) => set('pool_type', e.target.value as PoolType)}>
          {POOL_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </Field>
      {text('network_cidr', 'Network CIDR', 'e.g. 203.0.113.0/24, or 2001:db8::/48 for prefix delegation', mono)}
      {text('gateway', 'Gateway', 'An address inside the network, not its network or broadcast address', mono)}
      {text('dns_servers', 'DNS servers', 'Comma-separated addresses, e.g. 1.1.1.1, 9.9.9.9', mono)}
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        {text('vlan_id', 'VLAN', '1–4094')}
        <Field label="Status" error={errors.status} htmlFor="pool-status">
          <select id="pool-status" className="ipk-select" value={d.status} onChange={(e) => set('status', e.target.value as PoolStatus)}>
            {POOL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <label className="ipk-check">
        <input type="checkbox" id="pool-auto_assign_enabled" checked={d.auto_assign_enabled} onChange={(e) => set('auto_assign_enabled', e.target.checked)} />
        <span>Auto-assign enabled (the next free address is handed out on request)</span>
      </label>
      <label className="ipk-check">
        <input type="checkbox" id="pool-allow_manual_reservation" checked={d.allow_manual_reservation} onChange={(e) => set('allow_manual_reservation', e.target.checked)} />
        <span>Manual reservations allowed (an operator picks the address)</span>
      </label>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        {text('utilization_alert_threshold', 'Alert threshold (%)', 'Warn when utilization is over this')}
        {text('netbox_prefix_id', 'NetBox prefix id')}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        {text('group_name', 'Group (role or site)', 'One request allocates from whichever pool of the group has room')}
        <Field label="Allocation order" error={errors.allocation_order} htmlFor="pool-allocation_order">
          <select id="pool-allocation_order" className="ipk-select" value={d.allocation_order} onChange={(e) => set('allocation_order', e.target.value as Draft['allocation_order'])}>
            <option value="lowest">Lowest address first</option>
            <option value="highest">Highest address first</option>
          </select>
        </Field>
      </div>
      {d.pool_type === 'IPV6_PREFIX_DELEGATION' ? text('delegation_prefix_length', 'Delegated prefix length', 'e.g. 56 or 64; default /56 in a /48 or wider, else /64') : null}
      <Field label="Description" error={errors.description} htmlFor="pool-description">
        <textarea id="pool-description" className="ipk-textarea" value={d.description} onChange={(e) => set('description', e.target.value)} />
      </Field>
      {errors._ ? (
        <div className="ipk-err" role="alert">
          {errors._}
        </div>
      ) : null}
    </Drawer>
  );
};
