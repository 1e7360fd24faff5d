// The fixed list of files the GraphiQL page loads: bundles read from node_modules (located with
// require.resolve('<pkg>/package.json')) and the page's own small script and stylesheet.
import { inlineAsset, packageAsset, type StaticAsset } from '../static-assets';
import { CLIENT_SCRIPT } from './client-script';
import { PAGE_STYLE } from './page-style';

/** In load order: GraphiQL's UMD build expects the globals React and ReactDOM (React 18 UMD). */
export const GRAPHIQL_ASSETS: readonly StaticAsset[] = [
  packageAsset('graphiql.min.css', 'style', 'graphiql', 'graphiql.min.css'),
  inlineAsset('ecograph-graphiql.css', 'style', PAGE_STYLE),
  packageAsset('react.production.min.js', 'script', 'react', 'umd/react.production.min.js'),
  packageAsset('react-dom.production.min.js', 'script', 'react-dom', 'umd/react-dom.production.min.js'),
  packageAsset('graphiql.min.js', 'script', 'graphiql', 'graphiql.min.js'),
  inlineAsset('ecograph-graphiql.js', 'script', CLIENT_SCRIPT),
];
