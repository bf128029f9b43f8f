// A sidebar plugin listing the saved example operations: each opens in a new tab, so the
// examples stay at hand after their first tabs are edited or closed (tabs persist in
// localStorage).
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { EXAMPLES, type Example } from '../examples';

function ExamplesPane() {
  const editor = useEditorContext({ nonNull: true });
  const open = (example: Example) => {
    editor.addTab();
    // The new tab becomes active with empty editors; fill them once it has.
    setTimeout(() => {
      editor.queryEditor?.setValue(example.query);
      editor.variableEditor?.setValue(example.variables ? JSON.stringify(example.variables, null, 2) : '');
    }, 0);
  };
  return (
    <section className="examples-pane" aria-label="Example operations">
      <h2 className="graphiql-doc-explorer-title">Examples</h2>
      <p>Saved operations against the seed. Each opens in a new tab.</p>
      <ul>
        {EXAMPLES.map((e) => (
          <li key={e.title}>
            <button type="button" className="graphiql-un-styled examples-open" onClick={() => open(e)}>
              {e.title}
            </button>
            <small>{e.summary}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M5 4h10l4 4v12H5z" />
      <path d="M9 11h6M9 14h6M9 17h4" />
    </svg>
  );
}

export const EXAMPLES_PLUGIN: GraphiQLPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPane };
