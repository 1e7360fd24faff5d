// The browser side of the GraphiQL page (served as ecograph-graphiql.js, after the React and
// GraphiQL UMD bundles). Plain ES2017, no JSX, no build step. It reads its settings from the
// inert <script type="application/json" id="eg-config"> element, keeps the API key in
// sessionStorage only, and adds `Authorization: Bearer <key>` to every request.
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var configEl = document.getElementById('eg-config');
  var config = JSON.parse((configEl && configEl.textContent) || '{}');
  var examples = Array.isArray(config.examples) ? config.examples : [];
  var keyItem = config.keyStorageItem || 'ecograph:apiKey';
  var h = React.createElement;

  var bar = document.getElementById('eg-keybar');
  var keyInput = document.getElementById('eg-key');
  var toggle = document.getElementById('eg-key-toggle');
  var message = document.getElementById('eg-key-message');
  var select = document.getElementById('eg-example');

  // ---- API key: sessionStorage only (never localStorage, never a cookie) ----
  function normaliseKey(value) { return String(value || '').trim().replace(/^bearer\s+/i, ''); }
  function readKey() { try { return sessionStorage.getItem(keyItem) || ''; } catch (e) { return ''; } }
  function writeKey(value) {
    try { if (value) sessionStorage.setItem(keyItem, value); else sessionStorage.removeItem(keyItem); } catch (e) { /* storage disabled */ }
  }
  var apiKey = normaliseKey(readKey());
  keyInput.value = apiKey;

  function showKeyError(text) {
    bar.classList.add('eg-error');
    keyInput.setAttribute('aria-invalid', 'true');
    message.textContent = text;
    message.hidden = false;
  }
  function clearKeyError() {
    bar.classList.remove('eg-error');
    keyInput.removeAttribute('aria-invalid');
    message.textContent = '';
    message.hidden = true;
  }

  // ---- fetcher ----
  function describe(body, res) {
    var first = body && Array.isArray(body.errors) ? body.errors[0] : null;
    if (first && typeof first.message === 'string') return first.message;
    if (body && typeof body.message === 'string') return body.message;
    return 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '');
  }

  // A new function per key change, so that GraphiQL re-runs introspection with the new key.
  function createFetcher() {
    return function fetcher(params, opts) {
      var headers = new Headers();
      var extra = opts && opts.headers;
      if (extra && typeof extra === 'object') {
        Object.keys(extra).forEach(function (name) { headers.set(name, String(extra[name])); });
      }
      headers.set('content-type', 'application/json');
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      if (apiKey) headers.set('authorization', 'Bearer ' + apiKey);
      return fetch(config.endpoint, {
        method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'same-origin',
      }).then(function (res) {
        return res.text().then(function (text) {
          var body = null;
          try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
          if (res.status === 401) showKeyError(describe(body, res));
          else if (res.ok) clearKeyError();
          if (body === null || typeof body !== 'object') {
            body = { errors: [{ message: describe(null, res) + (text ? ': ' + text.slice(0, 2000) : '') }] };
          }
          return body;
        });
      });
    };
  }

  // ---- GraphiQL's own storage, namespaced 'ecograph:' ----
  function namespacedStorage(namespace) {
    try {
      window.localStorage.getItem(namespace + ':probe');
      if (typeof GraphiQL.createLocalStorage === 'function') return GraphiQL.createLocalStorage({ namespace: namespace });
    } catch (e) { /* localStorage blocked: keep state in memory */ }
    var items = new Map();
    return {
      getItem: function (k) { return items.has(k) ? items.get(k) : null; },
      setItem: function (k, v) { items.set(k, String(v)); },
      removeItem: function (k) { items.delete(k); },
      clear: function () { items.clear(); },
      get length() { return items.size; },
    };
  }

  // ---- GraphiQL ----
  function variablesText(example) {
    return example && example.variables ? JSON.stringify(example.variables, null, 2) : '';
  }

  // Rendered inside GraphiQL's providers, to hand its editor context to the example picker.
  var editorContext = null;
  var useEditorContext = GraphiQL.React && GraphiQL.React.useEditorContext;
  function EditorBridge() {
    var ctx = useEditorContext ? useEditorContext() : null;
    React.useEffect(function () {
      editorContext = ctx;
      return function () { if (editorContext === ctx) editorContext = null; };
    }, [ctx]);
    return null;
  }

  var state = { fetcher: createFetcher(), query: undefined, variables: undefined };
  var props = {
    storage: namespacedStorage(config.storageNamespace || 'ecograph'),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  if (examples.length) {
    props.defaultQuery = examples[0].query;
    props.defaultTabs = examples.map(function (e) { return { query: e.query, variables: variablesText(e) || null }; });
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function render() {
    root.render(h(GraphiQL, Object.assign({}, props, {
      fetcher: state.fetcher, query: state.query, variables: state.variables,
    }), h(GraphiQL.Logo, null, config.title || 'GraphiQL', h(EditorBridge))));
  }

  function loadExample(example) {
    var vars = variablesText(example);
    var ctx = editorContext;
    if (ctx && ctx.queryEditor && typeof ctx.queryEditor.setValue === 'function') {
      var tabs = Array.isArray(ctx.tabs) ? ctx.tabs : [];
      for (var i = 0; i < tabs.length; i++) {
        if (tabs[i].query === example.query && (tabs[i].variables || '') === vars) {
          if (i !== ctx.activeTabIndex) ctx.changeTab(i);
          return;
        }
      }
      ctx.queryEditor.setValue(example.query);
      if (ctx.variableEditor && typeof ctx.variableEditor.setValue === 'function') ctx.variableEditor.setValue(vars);
      else if (typeof ctx.updateActiveTabValues === 'function') ctx.updateActiveTabValues({ variables: vars });
      if (typeof ctx.queryEditor.focus === 'function') ctx.queryEditor.focus();
      return;
    }
    // No editor API: the query/variables props replace the editors' contents when they change.
    state.query = state.query === example.query ? example.query + '\n' : example.query;
    state.variables = vars;
    render();
  }

  // ---- key bar events ----
  keyInput.addEventListener('input', function () {
    apiKey = normaliseKey(keyInput.value);
    writeKey(apiKey);
    clearKeyError();
  });
  keyInput.addEventListener('change', function () {
    if (keyInput.value !== apiKey) keyInput.value = apiKey;
    state.fetcher = createFetcher();
    render();
  });
  toggle.addEventListener('click', function () {
    var show = keyInput.type === 'password';
    keyInput.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(show));
  });
  if (examples.length && select) {
    examples.forEach(function (example, index) { select.appendChild(new Option(example.name, String(index))); });
    select.hidden = false;
    select.addEventListener('change', function () {
      var value = select.value;
      select.value = '';
      var example = value === '' ? null : examples[Number(value)];
      if (example) loadExample(example);
    });
  }

  render();
})();
`;
