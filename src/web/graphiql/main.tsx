// GraphiQL at /graphiql, bundled with React, GraphiQL and its styles into dist/web/graphiql.js
// and graphiql.css (src/cli/web/bundle.ts): no UMD globals, nothing from another host.
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './graphiql.css';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { readConfig } from './config';
import { bindKeyBar } from './key-bar';

const config = readConfig();
const mount = document.getElementById('graphiql');
if (mount) createRoot(mount).render(<App config={config} keyBar={bindKeyBar(config.keyStorageItem)} />);
