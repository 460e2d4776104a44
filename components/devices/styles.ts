import { injectCss } from '../shared/styles';

/** Styles of the devices pages (list, device page, owners, custom fields), injected once. */
const CSS = `
.dvw-kinds{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:10px}
.dvw-kind{border:1px solid #cbd5e1;background:#fff;color:#0f172a;border-radius:999px;padding:4px 12px;font-size:13px;cursor:pointer;font-family:inherit;display:inline-flex;gap:6px;align-items:center}
.dvw-kind:hover{background:#f1f5f9}
.dvw-kind[aria-pressed=true]{background:#1e40af;border-color:#1e40af;color:#fff}
.dvw-kind:focus-visible,.dvw-tab:focus-visible{outline:2px solid #3b82f6;outline-offset:2px}
.dvw-kind-n{font-size:11px;opacity:.75;font-variant-numeric:tabular-nums}
.dvw-filters{display:flex;flex-wrap:wrap;gap:6px;align-items:center;flex:1 1 100%}
.dvw-addfilter{display:inline-flex;gap:6px;align-items:center;margin:0}
.dvw-filter-input{width:160px!important;padding:5px 8px!important;font-size:13px!important}
.dvw-archived{margin:0;white-space:nowrap}
.dvw-cols{position:relative;margin-left:auto}
.dvw-cols-pop{right:0;top:100%;margin-top:4px;padding:8px 10px;min-width:190px}
.dvw-cols-pop .ipk-check{margin-bottom:6px}
.dvw-name a{color:#1d4ed8;text-decoration:none;font-weight:500}
.dvw-name a:hover{text-decoration:underline}
.dvw-owner{display:flex;gap:4px;align-items:center;overflow:visible}
.ipk-table td.dvw-owner-cell{overflow:visible}
.dvw-power{display:inline-flex;align-items:center;gap:5px}
.dvw-dot{width:8px;height:8px;border-radius:50%;display:inline-block;background:#94a3b8}
.dvw-dot.on{background:#16a34a}.dvw-dot.off{background:#dc2626}.dvw-dot.suspended{background:#d97706}
.dvw-tabs{display:flex;gap:2px;border-bottom:1px solid #e2e8f0;margin:10px 0 14px}
.dvw-tab{border:0;background:transparent;padding:8px 14px;font-size:13px;font-weight:500;color:#475569;cursor:pointer;border-bottom:2px solid transparent;font-family:inherit}
.dvw-tab[aria-selected=true]{color:#1e40af;border-bottom-color:#1e40af}
.dvw-facts{width:100%;border-collapse:collapse;font-size:13px}
.dvw-facts th{text-align:left;font-size:11px;text-transform:uppercase;color:#64748b;padding:6px 8px;border-bottom:1px solid #e2e8f0}
.dvw-facts td{padding:6px 8px;border-bottom:1px solid #f1f5f9;vertical-align:top}
.dvw-facts td.is-effective{font-weight:600}
.dvw-facts tr.has-override td.dvw-ovr{background:#fffbeb}
.dvw-struck{text-decoration:line-through;color:#94a3b8}
.dvw-src{font-size:11px;color:#64748b}
.dvw-ovr-form{display:flex;gap:4px}
.dvw-ovr-form .ipk-input{padding:3px 6px;font-size:13px}
.dvc-filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.dvc-filters label,.dvc-device{display:flex;flex-direction:column;gap:4px;font-size:12px;color:#475569;min-width:150px}
.dvc-filters .dvc-device{min-width:240px;flex:1 1 240px}
.dvc-filters label.dvc-check{flex-direction:row;align-items:center;gap:6px;min-width:0;font-size:13px;color:#0f172a;align-self:flex-end;padding-bottom:10px}
.dvw-run{white-space:nowrap}
.dvw-run:focus-visible,.dvc-filters input:focus-visible{outline:2px solid #3b82f6;outline-offset:2px}
`;

export function useDeviceStyles(): void {
  injectCss('devices', CSS);
}
