// The GraphiQL page: GraphiQL with the explorer (fields ticked into a query, each with its data
// tier), the result table, the role's example operations and a fetcher carrying the pasted key.
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useState } from 'react';
import { variablesText, type PageConfig } from './config';
import { ExamplePicker } from './examples';
import { tieredExplorer } from './explorer';
import { createFetcher } from './fetcher';
import type { KeyBar } from './key-bar';
import { resultTablePlugin } from './result-table';
import { ClearStaleSchemaError } from './schema-error';
import { namespacedStorage } from './storage';

const plugins = [tieredExplorer, resultTablePlugin];

export function App({ config, keyBar }: { config: PageConfig; keyBar: KeyBar }) {
  const [apiKey, setApiKey] = useState(keyBar.key);
  useEffect(() => keyBar.onCommit(setApiKey), [keyBar]);

  const fetcher = useMemo(
    () => createFetcher(config.endpoint, apiKey, { unauthorized: keyBar.showError, accepted: keyBar.clearError }),
    [config.endpoint, apiKey, keyBar],
  );
  const storage = useMemo(() => namespacedStorage(config.storageNamespace), [config.storageNamespace]);
  const tabs = useMemo(() => config.examples.map((e) => ({ query: e.query, variables: variablesText(e) || null })), [config.examples]);

  return (
    <GraphiQL
      fetcher={fetcher}
      storage={storage}
      plugins={plugins}
      defaultQuery={config.examples[0]?.query}
      defaultTabs={tabs.length ? tabs : undefined}
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        {config.title}
        <ExamplePicker examples={config.examples} slot={document.getElementById('eg-examples')} />
        <ClearStaleSchemaError />
      </GraphiQL.Logo>
    </GraphiQL>
  );
}
