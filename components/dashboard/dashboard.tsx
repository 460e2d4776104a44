import React, { useEffect, useState } from 'react';
import { Box, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { Chip } from '../shared/chip';
import { PrefixUnit, UtilizationBar } from '../shared/utilization-bar';
import { valueColor } from '../shared/value-colors';
import { formatCount } from '../ranges/format';
import { DeviceSummary, type DeviceDashboardData } from './device-summary';

type Totals = { ip_assets: number; archived: number; unassigned: number; hosts: number; vendors: number; projects: number };
type RangeRow = { id: number; name: string; cidr: string; usable: string; used: number; free: string; percent: number; unit?: 'prefix' };
type AuditRow = { id: number; at: string; user: string | null; action: string; target_type: string; target: string | null; changes: string | null };
type Data = { totals: Totals; ranges: RangeRow[]; audit: AuditRow[]; devices?: DeviceDashboardData };

const CARDS: { key: keyof Totals; label: string; href: string }[] = [
  { key: 'ip_assets', label: 'IP addresses', href: '/ui/resources/ip_assets' },
  { key: 'archived', label: 'Archived', href: '/ui/resources/ip_assets?archived=only' },
  { key: 'unassigned', label: 'Unassigned', href: '/ui/resources/ip_assets?assignment=unassigned' },
  { key: 'hosts', label: 'Hosts', href: '/ui/resources/hosts' },
  { key: 'vendors', label: 'Vendors', href: '/ui/resources/vendors' },
  { key: 'projects', label: 'Projects', href: '/ui/resources/projects' },
];

const card: React.CSSProperties = { display: 'block', boxSizing: 'border-box', background: '#fff', borderRadius: 10, padding: '16px 20px', minWidth: 140, flex: '1 1 140px', textDecoration: 'none', color: '#0f172a', boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };

/** Our overview: inventory totals and every range's utilization (replaces AdminJS's welcome page). */
const Dashboard: React.FC = () => {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    new ApiClient()
      .getDashboard<Data>()
      .then((res) => setData(res.data))
      .catch(() => setError('Could not load the overview.'));
  }, []);
  return (
    <Box variant="grey" data-testid="dashboard">
      <H2 mb="lg">Overview</H2>
      {error ? <Text color="error">{error}</Text> : null}
      <Box flex flexWrap="wrap" style={{ gap: 16 }} mb="xxl">
        {CARDS.map((c) => (
          <a key={c.key} href={c.href} style={card} data-testid={`total-${c.key}`}>
            <div style={{ fontSize: 13, color: '#64748b' }}>{c.label}</div>
            <div style={{ fontSize: 28, fontWeight: 600, marginTop: 4, fontVariantNumeric: 'tabular-nums' }}>{data ? data.totals[c.key].toLocaleString('en-US') : '…'}</div>
          </a>
        ))}
      </Box>
      {data?.devices ? <DeviceSummary data={data.devices} /> : null}
      <Box bg="white" p="xl" style={{ borderRadius: 10 }}>
        <Text fontWeight="bold" mb="lg">
          Range utilization
        </Text>
        {data && data.ranges.length === 0 ? <Text color="grey60">No ranges yet.</Text> : null}
        {data && data.ranges.length > 0 ? (
          <Table data-testid="range-utilization">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>CIDR</TableCell>
                <TableCell>Usable</TableCell>
                <TableCell>Used</TableCell>
                <TableCell>Free</TableCell>
                <TableCell>Utilization</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.ranges.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>
                    <a href={`/ui/resources/ranges/records/${r.id}/addresses`}>{r.name}</a>
                  </TableCell>
                  <TableCell style={{ fontFamily: 'ui-monospace, monospace' }}>{r.cidr}</TableCell>
                  <TableCell title={r.usable}>
                    {formatCount(r.usable)}
                    <PrefixUnit unit={r.unit} />
                  </TableCell>
                  <TableCell>
                    <a href={`/ui/resources/ranges/records/${r.id}/addresses?status=used`}>{formatCount(r.used)}</a>
                  </TableCell>
                  <TableCell title={r.free}>
                    <a href={`/ui/resources/ranges/records/${r.id}/addresses?status=free`}>{formatCount(r.free)}</a>
                  </TableCell>
                  <TableCell>
                    <UtilizationBar percent={r.percent} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </Box>
      <Box bg="white" p="xl" mt="xl" style={{ borderRadius: 10 }}>
        <Text fontWeight="bold" mb="lg">
          Recent changes
        </Text>
        {data && data.audit.length === 0 ? <Text color="grey60">Nothing recorded yet.</Text> : null}
        {data && data.audit.length > 0 ? (
          // A fixed layout with sized columns: in an auto layout a long change line widened the table past
          // its card (nowrap asks for its whole width); here Changes gets what is left and ends in "…".
          <Table data-testid="recent-audit" style={{ tableLayout: 'fixed', width: '100%' }}>
            <TableHead>
              <TableRow>
                <TableCell style={{ width: 180 }}>When (UTC)</TableCell>
                <TableCell style={{ width: 90 }}>User</TableCell>
                <TableCell style={{ width: 100 }}>Action</TableCell>
                <TableCell style={{ width: '22%' }}>Target</TableCell>
                <TableCell>Changes</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.audit.map((a) => (
                <TableRow key={a.id}>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>{a.at}</TableCell>
                  <TableCell>{a.user ?? 'system'}</TableCell>
                  <TableCell>
                    <Chip label={a.action} color={valueColor(a.action)} />
                  </TableCell>
                  <TableCell style={{ overflowWrap: 'anywhere' }}>
                    {a.target_type} {a.target ?? ''}
                  </TableCell>
                  <TableCell style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={a.changes ?? ''} data-testid="recent-audit-changes">
                    {a.changes ?? ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </Box>
    </Box>
  );
};


export default Dashboard;
