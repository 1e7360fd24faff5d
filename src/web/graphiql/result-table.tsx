// "Result table": a GraphiQL sidebar panel showing the first list of the last answer (a
// connection's nodes, its edges' nodes, or a plain list) as a table, nested objects as dotted
// columns, with a CSV download of exactly what is shown.
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { useMemo } from 'react';
import { downloadText, toCsv } from '../lib/download';
import { cellText, csvFileName, tableOfResponse } from './result-list';

function TableIcon(props: { 'aria-hidden'?: boolean | 'true' | 'false' }) {
  return (
    <svg {...props} viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth={1.5}>
      <rect x="3" y="4" width="18" height="16" rx="1.5" />
      <path d="M3 9h18M3 14.5h18M9.5 9v11M15.5 9v11" />
    </svg>
  );
}

function ResultTable() {
  const editor = useEditorContext();
  const response = editor?.tabs[editor.activeTabIndex]?.response ?? null;
  const table = useMemo(() => tableOfResponse(response), [response]);

  if (!table) {
    return (
      <section className="eg-table-panel" data-table-state="empty">
        <h2 className="eg-table-title">Result table</h2>
        <p className="eg-table-note">
          Run a query that returns a list (for example <code>partners(first: 20) {'{ nodes { … } }'}</code>): its first list is shown here as a
          table, ready to download as CSV.
        </p>
      </section>
    );
  }

  const download = () => downloadText(csvFileName(table.path), toCsv(table.columns, table.rows));
  return (
    <section className="eg-table-panel" data-table-state="ready" data-rows={table.rows.length}>
      <h2 className="eg-table-title">Result table</h2>
      <div className="eg-table-actions">
        <span className="eg-table-note">
          <code>{table.path}</code>: {table.rows.length} {table.rows.length === 1 ? 'row' : 'rows'}
        </span>
        <button type="button" className="eg-table-download" onClick={download}>
          Download CSV
        </button>
      </div>
      <div className="eg-table-scroll">
        <table className="eg-table">
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((value, j) => (
                  <td key={j}>{cellText(value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export const resultTablePlugin: GraphiQLPlugin = { title: 'Result table', icon: TableIcon, content: ResultTable };
