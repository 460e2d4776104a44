import React from 'react';
import { fieldLabel, hint, mono } from '../shared/form-styles';
import { type Plugin } from './model';

const NMAP_EXAMPLES = ['nmap -sn -oX scan.xml 10.0.0.0/24', 'nmap -sn -PR -oX scan.xml 192.168.1.0/24', 'nmap -sT --top-ports 100 -oX scan.xml 10.0.0.0/24', 'nmap -6 -sn -oX scan.xml 2001:db8::/120'];

/** What a source needs to be said beside its form: CSV templates, how to produce Nmap XML, where saved connectors live. */
export const SourceNotes: React.FC<{ plugin: Plugin }> = ({ plugin }) => (
  <>
    {plugin.name === 'csv' ? (
      <div style={{ ...hint, fontSize: 13, marginTop: 12 }} data-testid="csv-templates">
        Templates with the expected headers:{' '}
        <a href="/static/samples/hosts.csv" download style={{ whiteSpace: 'nowrap' }}>
          hosts.csv
        </a>{' '}
        and{' '}
        <a href="/static/samples/ip-assets.csv" download style={{ whiteSpace: 'nowrap' }}>
          ip-assets.csv
        </a>
        . Projects and vendors the rows name are created.
      </div>
    ) : null}
    {plugin.name === 'nmap' ? (
      <div style={{ marginTop: 18 }} data-testid="nmap-examples">
        <div style={fieldLabel}>Produce the XML on a machine that may scan (examples, run them yourself):</div>
        <pre style={{ ...mono, background: '#0f172a', color: '#e2e8f0', padding: 10, borderRadius: 8, margin: 0, whiteSpace: 'pre-wrap' }}>{NMAP_EXAMPLES.join('\n')}</pre>
        <div style={hint}>Up hosts become IPs (type OTHER unless the MAC vendor says VM/OS); hostnames, open ports and the MAC vendor go to notes and tags.</div>
      </div>
    ) : null}
    {plugin.kind === 'connector' ? (
      <div style={{ ...hint, fontSize: 13, marginTop: 12 }}>
        A one-off run with these options. Saved, scheduled configurations live on the <a href="/ui/pages/connectors">Connectors</a> page.
      </div>
    ) : null}
  </>
);
