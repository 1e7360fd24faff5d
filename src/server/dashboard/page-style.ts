// Layout of the dashboard page (served as ecograph-dashboard.css).
export const DASHBOARD_STYLE = `*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  color: #1f2328; background: #eef1f5;
}
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.ed-top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px;
  background: #fff; border-bottom: 1px solid #d0d7de;
}
.ed-top h1 { margin: 0; font-size: 18px; font-weight: 650; }
.ed-keybar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; flex: 1 1 40em; }
.ed-keybar label { font-weight: 600; }
.ed-keybar input {
  flex: 0 1 28em; min-width: 12em; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px;
  font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fff; color: inherit;
}
button, select, input[type="month"] {
  padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px; font: inherit; background: #fff; color: inherit;
}
button { cursor: pointer; }
button[type="submit"] { background: #1f6feb; border-color: #1f6feb; color: #fff; font-weight: 600; }
.ed-hint { color: #59636e; }
.ed-message { color: #d1242f; font-weight: 600; flex-basis: 100%; }
.ed-keybar.ed-error input { border-color: #d1242f; outline: 1px solid #d1242f; }
.ed-filters {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 20px;
  background: #f6f8fa; border-bottom: 1px solid #d0d7de;
}
.ed-filters label { display: inline-flex; align-items: center; gap: 6px; font-weight: 600; }
.ed-status { color: #59636e; }
.ed-grid {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; padding: 16px 20px;
}
.ed-panel {
  display: flex; flex-direction: column; min-width: 0; padding: 12px 14px; background: #fff;
  border: 1px solid #d0d7de; border-radius: 8px; box-shadow: 0 1px 2px rgba(31, 35, 40, 0.06);
}
.ed-panel.ed-wide { grid-column: 1 / -1; }
.ed-panel header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 12px; }
.ed-panel h2 { margin: 0; font-size: 15px; font-weight: 650; }
.ed-note { margin: 0; color: #59636e; font-size: 12.5px; }
.ed-panel-message { margin: 8px 0 0; color: #59636e; }
.ed-panel[data-state="error"] .ed-panel-message { color: #d1242f; font-weight: 600; }
.ed-panel[data-state="unavailable"] .ed-panel-message {
  padding: 10px 12px; color: #7d4e00; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px;
}
.ed-panel[data-state="ready"] .ed-panel-message:empty { display: none; }
.ed-chart { width: 100%; height: 340px; margin-top: 6px; }
.ed-panel:not([data-state="ready"]) .ed-chart { display: none; }
.ed-panel:not([data-state="ready"]) .ed-summary, .ed-panel:not([data-state="ready"]) .ed-lists,
.ed-panel:not([data-state="ready"]) .ed-table-wrap { display: none; }
.ed-summary { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 6px; font-size: 13px; }
.ed-summary b { font-variant-numeric: tabular-nums; }
.ed-lists { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 6px; }
.ed-lists h3 { margin: 0 0 4px; font-size: 13px; }
.ed-list { max-height: 190px; overflow: auto; margin: 0; padding: 0; list-style: none; border: 1px solid #d8dee4; border-radius: 6px; }
.ed-list li { display: flex; justify-content: space-between; gap: 8px; padding: 3px 8px; font-size: 12.5px; border-bottom: 1px solid #eef1f5; }
.ed-list li:last-child { border-bottom: 0; }
.ed-list .ed-num { color: #59636e; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ed-table-wrap { max-height: 210px; overflow: auto; margin-top: 6px; border: 1px solid #d8dee4; border-radius: 6px; }
.ed-table { width: 100%; border-collapse: collapse; font-size: 12.5px; }
.ed-table th, .ed-table td { padding: 4px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid #eef1f5; }
.ed-table th { position: sticky; top: 0; background: #f6f8fa; font-weight: 600; }
.ed-chip {
  display: inline-block; margin: 0 4px 2px 0; padding: 0 6px; border-radius: 10px; background: #ffebe9; color: #82071e;
  font-variant-numeric: tabular-nums; white-space: nowrap;
}
.ed-foot { padding: 4px 20px 16px; color: #59636e; font-size: 12px; }
@media (max-width: 640px) { .ed-grid { grid-template-columns: 1fr; padding: 10px; } .ed-lists { grid-template-columns: 1fr; } }
`;
