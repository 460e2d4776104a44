/**
 * Shared panel styles for the custom workspaces (drawer, chips, pickers, tables), injected once
 * into the document: hover/focus states need real CSS, not inline styles.
 */
const CSS = `
.ipk-backdrop{position:fixed;inset:0;background:rgba(15,23,42,.35);z-index:1000}
.ipk-drawer{position:fixed;top:0;right:0;bottom:0;width:460px;max-width:100vw;background:#fff;z-index:1001;box-shadow:-8px 0 24px rgba(15,23,42,.18);display:flex;flex-direction:column;font-size:14px;color:#0f172a}
.ipk-drawer header{display:flex;align-items:center;justify-content:space-between;padding:16px 20px;border-bottom:1px solid #e2e8f0}
.ipk-drawer header h2{font-size:17px;font-weight:600;margin:0}
.ipk-drawer .ipk-drawer-sub{color:#64748b;font-size:12px;margin-top:2px}
.ipk-drawer .ipk-drawer-body{flex:1;overflow:auto;padding:16px 20px}
.ipk-drawer footer{display:flex;gap:8px;justify-content:flex-end;align-items:center;padding:12px 20px;border-top:1px solid #e2e8f0;background:#f8fafc}
.ipk-x{border:0;background:transparent;font-size:20px;line-height:1;cursor:pointer;color:#64748b;padding:4px 8px;border-radius:4px}
.ipk-x:hover{background:#f1f5f9;color:#0f172a}
.ipk-field{margin-bottom:14px}
.ipk-field>label,.ipk-label{display:block;font-size:12px;font-weight:600;color:#334155;margin-bottom:4px;text-transform:none}
.ipk-input,.ipk-select,.ipk-textarea{width:100%;box-sizing:border-box;border:1px solid #cbd5e1;border-radius:6px;padding:7px 10px;font-size:14px;background:#fff;color:#0f172a;font-family:inherit}
.ipk-input:focus,.ipk-select:focus,.ipk-textarea:focus,.ipk-tagbox:focus-within,.ipk-picker-box:focus-within{outline:none;border-color:#3b82f6;box-shadow:0 0 0 3px rgba(59,130,246,.2)}
.ipk-input[readonly]{background:#f1f5f9;color:#475569}
.ipk-textarea{min-height:72px;resize:vertical}
.ipk-err{color:#b91c1c;font-size:12px;margin-top:4px}
.ipk-hint{color:#64748b;font-size:12px;margin-top:4px}
.ipk-btn{display:inline-flex;align-items:center;gap:6px;border:1px solid #cbd5e1;background:#fff;color:#0f172a;border-radius:6px;padding:6px 12px;font-size:13px;font-weight:500;cursor:pointer;white-space:nowrap;text-decoration:none;font-family:inherit;line-height:18px}
.ipk-btn:hover{background:#f1f5f9}
.ipk-btn:disabled{opacity:.5;cursor:not-allowed}
.ipk-btn-primary{background:#2563eb;border-color:#2563eb;color:#fff}
.ipk-btn-primary:hover{background:#1d4ed8}
.ipk-btn-danger{background:#dc2626;border-color:#dc2626;color:#fff}
.ipk-btn-danger:hover{background:#b91c1c}
.ipk-btn-sm{padding:3px 8px;font-size:12px}
.ipk-btn-link{border:0;background:transparent;color:#2563eb;padding:2px 4px}
.ipk-btn-link:hover{background:#eff6ff}
.ipk-chip{display:inline-flex;align-items:center;gap:3px;padding:1px 8px;border-radius:10px;font-size:12px;line-height:18px;white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis;border:0;font-family:inherit;vertical-align:middle}
button.ipk-chip{cursor:pointer}
button.ipk-chip:hover{filter:brightness(.92)}
a.ipk-chip{text-decoration:none}
a.ipk-chip:hover{filter:brightness(.95)}
.ipk-chip-x{border:0;background:transparent;color:inherit;cursor:pointer;padding:0 0 0 2px;font-size:13px;line-height:1;opacity:.8}
.ipk-tagbox,.ipk-picker-box{display:flex;flex-wrap:wrap;gap:4px;align-items:center;border:1px solid #cbd5e1;border-radius:6px;padding:4px 6px;background:#fff;min-height:34px;box-sizing:border-box;position:relative}
.ipk-tagbox input,.ipk-picker-box input{border:0;outline:none;flex:1;min-width:90px;font-size:14px;padding:3px 2px;font-family:inherit;background:transparent}
.ipk-pop{position:absolute;z-index:1010;background:#fff;border:1px solid #e2e8f0;border-radius:8px;box-shadow:0 8px 24px rgba(15,23,42,.15);padding:4px;min-width:200px;max-height:260px;overflow:auto}
.ipk-opt{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:6px 8px;border-radius:6px;cursor:pointer;font-size:13px}
.ipk-opt[aria-selected=true],.ipk-opt:hover{background:#eff6ff}
.ipk-opt small{color:#64748b}
.ipk-empty{color:#94a3b8;font-size:13px;padding:6px 8px}
.ipk-summary{display:grid;grid-template-columns:90px 1fr;gap:6px 12px;background:#f8fafc;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px;margin-bottom:14px;font-size:13px}
.ipk-summary dt{color:#64748b;margin:0}
.ipk-summary dd{margin:0;font-weight:500;overflow:hidden;text-overflow:ellipsis}
.ipk-warn{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;border-radius:8px;padding:10px 12px;font-size:13px;margin-bottom:14px}
.ipk-check{display:flex;align-items:center;gap:8px;font-size:13px;cursor:pointer;margin-bottom:12px}
.ipk-check input{margin:0;width:16px;height:16px}
.ipk-muted{color:#94a3b8}
.ipk-overflow{position:relative;display:inline-block}
.ipk-ruler{position:absolute;left:0;top:0;visibility:hidden;height:0;overflow:hidden;white-space:nowrap;display:flex;gap:4px;width:max-content}
.ipk-overflow>.ipk-chip,.ipk-ruler>*{flex-shrink:0}
.ipk-more{border:1px dashed #94a3b8;background:#fff;color:#334155;border-radius:10px;font-size:12px;padding:0 7px;line-height:18px;cursor:pointer;white-space:nowrap;font-family:inherit}
.ipk-more:hover,.ipk-more[aria-expanded=true]{background:#f1f5f9}
.ipk-banner{background:#fffbeb;border:1px solid #fde68a;color:#78350f;border-radius:8px;padding:10px 14px;margin-bottom:12px;font-size:13px;line-height:1.5}
.ipk-banner code{background:#fef3c7;border-radius:4px;padding:1px 4px;font-size:12px}
.ipk-banner a{color:#92400e;font-weight:600}
.ipk-list{font-size:14px;color:#0f172a}
.ipk-list-toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:10px;margin-bottom:10px}
.ipk-list-toolbar .ipk-select{width:auto;min-width:120px;padding:6px 8px;font-size:13px}
.ipk-list-search{flex:1 1 220px;min-width:200px;max-width:420px;padding:6px 10px!important;font-size:13px!important}
.ipk-list-box{background:#fff;border:1px solid #e2e8f0;border-radius:10px;min-width:min-content}
.ipk-table{width:100%;table-layout:fixed;border-collapse:separate;border-spacing:0}
.ipk-table th{text-align:left;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:#64748b;padding:8px 8px;border-bottom:1px solid #e2e8f0;background:#f8fafc;white-space:nowrap}
.ipk-table th:first-child{border-top-left-radius:10px}
.ipk-table th:last-child{border-top-right-radius:10px}
.ipk-table td{padding:5px 8px;border-bottom:1px solid #f1f5f9;vertical-align:middle;height:30px;font-size:13px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ipk-table tbody tr:last-child td{border-bottom:0}
.ipk-table tbody tr:hover{background:#f8fafc}
.ipk-table tr.is-selected{background:#eff6ff}
.ipk-table input[type=checkbox]{margin:0;width:15px;height:15px;vertical-align:middle}
.ipk-table td.ipk-wrap{white-space:normal;overflow:visible;overflow-wrap:anywhere}
.ipk-table td.ipk-addr{white-space:normal;overflow-wrap:normal;word-break:normal}
.ipk-table td.ipk-mono,.ipk-mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.ipk-table td.ipk-num{font-variant-numeric:tabular-nums}
.ipk-table td.ipk-actions{text-align:right;overflow:visible}
.ipk-table td.ipk-actions .ipk-btn{margin-left:4px}
.ipk-sort{border:0;background:transparent;font:inherit;color:inherit;text-transform:inherit;letter-spacing:inherit;cursor:pointer;padding:0;display:inline-flex;gap:4px;align-items:center}
.ipk-sort:hover{color:#0f172a}
.ipk-sort-mark{font-size:9px;opacity:.7}
.ipk-list-empty{text-align:center;color:#64748b;padding:28px 16px}
.ipk-list-empty-msg{font-size:14px;margin-bottom:10px}
.ipk-list-empty-actions{display:inline-flex;gap:8px;flex-wrap:wrap;justify-content:center}
.ipk-pager{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between;align-items:center;margin-top:10px;color:#475569;font-size:13px;font-variant-numeric:tabular-nums}
.ipk-pager-controls{display:inline-flex;flex-wrap:wrap;gap:8px;align-items:center}
.ipk-pager .ipk-select{width:auto;padding:4px 6px;font-size:13px}
.ipk-pager-jump{display:inline-flex;align-items:center;gap:4px;margin:0}
.ipk-pager-jump .ipk-input{width:auto;padding:3px 6px;font-size:13px;text-align:right}
`;

const injected = new Set<string>();
/** Adds a page's CSS to the document once (by name), for the hover/focus states inline styles cannot express. */
export function injectCss(name: string, css: string): void {
  if (injected.has(name) || typeof document === 'undefined') return;
  injected.add(name);
  const el = document.createElement('style');
  el.setAttribute('data-ipocket', name);
  // The page's CSP admits inline <style> only with its nonce (the panel puts it in __webpack_nonce__).
  const nonce = (window as { __webpack_nonce__?: string }).__webpack_nonce__;
  if (nonce) el.nonce = nonce;
  el.textContent = css;
  document.head.appendChild(el);
}

export function useIpkStyles(): void {
  injectCss('shared', CSS);
}
