// The explorer plugin: a query built by ticking fields, each field showing its data tier.
//
// Tiers: every field's description opens with "[PUBLIC]", "[ANONYMIZED]" or "[SENSITIVE]"
// (src/permissions/tier-field.ts) and each key introspects only its own role's cut of the
// schema, so the page learns the tier of exactly the fields the key may read, and nothing for a
// visitor without a key. The explorer shows a field's description as its tooltip (the title of
// the span around its name); graphiql.css turns the prefix into a badge after the name.
import { explorerPlugin } from '@graphiql/plugin-explorer';

export const tieredExplorer = explorerPlugin({
  title: 'Explorer: tick fields to build a query (each shows its data tier)',
  // No link to the explorer's original authors' site: the page stays on this host.
  showAttribution: false,
});
