// The files the GraphiQL page loads: the bundle of src/web/graphiql (React, GraphiQL, the
// explorer and our code) and its stylesheet (GraphiQL's fonts are inlined in it as data: URLs),
// both built by `npm run build` into dist/web.
import { bundleAsset, type StaticAsset } from '../static-assets';

export const GRAPHIQL_ASSETS: readonly StaticAsset[] = [
  bundleAsset('graphiql.css', 'style', 'graphiql.css'),
  bundleAsset('graphiql.js', 'script', 'graphiql.js'),
];
