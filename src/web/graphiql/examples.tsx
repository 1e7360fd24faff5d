// "Load example…": the role's example operations, offered in the key bar. Rendered inside
// GraphiQL (for its editor context) and shown in the bar through a portal.
import { useEditorContext } from '@graphiql/react';
import type { ChangeEvent } from 'react';
import { createPortal } from 'react-dom';
import { variablesText, type Example } from './config';

export function ExamplePicker({ examples, slot }: { examples: readonly Example[]; slot: HTMLElement | null }) {
  const editor = useEditorContext();
  if (!slot || examples.length === 0) return null;

  const load = (example: Example) => {
    if (!editor?.queryEditor) return;
    const vars = variablesText(example);
    // Already open in a tab (the examples are the default tabs): switch to it.
    const open = editor.tabs.findIndex((t) => t.query === example.query && (t.variables ?? '') === vars);
    if (open >= 0) {
      if (open !== editor.activeTabIndex) editor.changeTab(open);
      return;
    }
    editor.queryEditor.setValue(example.query);
    if (editor.variableEditor) editor.variableEditor.setValue(vars);
    else editor.updateActiveTabValues({ variables: vars });
    editor.queryEditor.focus();
  };

  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const example = examples[Number(event.target.value)];
    event.target.value = '';
    if (example) load(example);
  };

  return createPortal(
    <select id="eg-example" aria-label="Load an example into the editor" defaultValue="" onChange={onChange} disabled={!editor?.queryEditor}>
      <option value="">Load example…</option>
      {examples.map((example, index) => (
        <option key={index} value={String(index)}>
          {example.name}
        </option>
      ))}
    </select>,
    slot,
  );
}
