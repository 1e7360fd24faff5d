// GraphiQL writes a failed schema request's error into the response pane (e.g. "No API key"
// on load, or a wrong key's 401) and leaves it there once a later key works. This clears it
// when the schema arrives, unless the user has run something since.
import { useEditorContext, useSchemaStore } from '@graphiql/react';
import { useEffect, useRef } from 'react';

export function ClearStaleSchemaError() {
  const { fetchError, schema } = useSchemaStore();
  const editor = useEditorContext();
  const lastError = useRef<string | null>(null);

  useEffect(() => {
    if (fetchError) lastError.current = fetchError;
  }, [fetchError]);

  useEffect(() => {
    const response = editor?.responseEditor;
    if (!schema || !response || lastError.current === null) return;
    if (response.getValue() === lastError.current) response.setValue('');
    lastError.current = null;
  }, [schema, editor?.responseEditor]);

  return null;
}
