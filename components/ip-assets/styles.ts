import { injectCss } from '../shared/styles';

/** Styles of the IP workspace (list and detail page), injected once. */
const CSS = `
.ipw{font-size:14px;color:#0f172a;padding:4px 0 24px}
.ipw-head{display:flex;justify-content:space-between;align-items:flex-end;margin-bottom:14px}
.ipw-head h1{font-size:22px;font-weight:600;margin:0}
.ipw-sub{color:#64748b;font-size:13px;margin-top:2px}
.ipw-archived{margin:0;white-space:nowrap}
.ipw-tags{display:flex;gap:6px;align-items:center;flex:1 1 300px;min-width:260px}
.ipw-tags .ipk-tagbox{flex:1;min-height:32px}
.ipw-tags .ipk-tagbox input{font-size:13px}
.ipw-tags .ipk-select{min-width:64px}
.ipw-bulkbar{display:flex;justify-content:space-between;align-items:center;background:#eff6ff;border:1px solid #bfdbfe;border-radius:8px;padding:6px 10px;margin-bottom:10px;font-size:13px}
.ipw-ip a{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;color:#1d4ed8;text-decoration:none;font-weight:500}
.ipw-ip a:hover{text-decoration:underline}
.ipw-ip{white-space:normal!important;overflow-wrap:anywhere}
.ipw-badge{margin-left:6px;font-size:10px;background:#f1f5f9;color:#475569;border-radius:4px;padding:1px 4px}
.ipw-ellipsis{overflow:hidden!important;text-overflow:ellipsis}
.ipw-notes{color:#334155}
.ipk-table td.ipw-tagcell{overflow:visible}
.ipw-danger{color:#b91c1c}
.ipw-unassigned{border:1px dashed #cbd5e1;background:transparent;color:#64748b;border-radius:10px;font-size:12px;padding:0 7px;line-height:18px;cursor:pointer;font-family:inherit}
.ipw-card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px 18px;margin-bottom:14px}
.ipw-card h2{font-size:14px;font-weight:600;margin:0 0 12px;color:#0f172a}
.ipw-kv{display:grid;grid-template-columns:140px 1fr;gap:8px 16px;font-size:13px;margin:0}
.ipw-kv dt{color:#64748b;margin:0}
.ipw-kv dd{margin:0}
.ipw-chips{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin-top:6px}
.ipw-audit{width:100%;border-collapse:collapse;font-size:13px}
.ipw-audit td{padding:8px 6px;border-top:1px solid #f1f5f9;vertical-align:top}
.ipw-audit ul{margin:0;padding-left:16px}
.ipw-grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}
`;

export function useWorkspaceStyles(): void {
  injectCss('ip-workspace', CSS);
}
