// Layout of the GraphiQL page and the API-key bar above the editor (served as ecograph-graphiql.css).
export const PAGE_STYLE = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; overflow: hidden; }
.eg-keybar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 6px 12px;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2328; background: #f6f8fa; border-bottom: 1px solid #d0d7de;
}
.eg-keybar label { font-weight: 600; }
.eg-keybar input {
  flex: 0 1 30em; min-width: 12em; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px;
  font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fff; color: inherit;
}
.eg-keybar button, .eg-keybar select {
  padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px; font: inherit; background: #fff; color: inherit; cursor: pointer;
}
.eg-keybar select { margin-left: auto; max-width: 22em; }
.eg-hint { color: #59636e; }
.eg-message { color: #d1242f; font-weight: 600; }
.eg-keybar.eg-error { background: #ffebe9; border-bottom-color: #d1242f; }
.eg-keybar.eg-error input { border-color: #d1242f; outline: 1px solid #d1242f; }
body.graphiql-dark .eg-keybar { color: #e6edf3; background: #161b22; border-bottom-color: #30363d; }
body.graphiql-dark .eg-keybar input, body.graphiql-dark .eg-keybar button, body.graphiql-dark .eg-keybar select { background: #0d1117; border-color: #484f58; }
body.graphiql-dark .eg-hint { color: #9198a1; }
body.graphiql-dark .eg-keybar.eg-error { background: #3c1618; border-bottom-color: #f85149; }
body.graphiql-dark .eg-message { color: #ff7b72; }
.eg-graphiql { flex: 1 1 auto; min-height: 0; display: flex; }
.eg-graphiql > .graphiql-container { flex: 1 1 auto; }
`;
