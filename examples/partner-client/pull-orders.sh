#!/usr/bin/env bash
# Pull every order you served, 100 at a time, following the cursors; one JSON object per line.
#   ECOGRAPH_URL=https://ecograph.example.com ECOGRAPH_KEY=eco_… ./pull-orders.sh > orders.ndjson
set -euo pipefail
URL="${ECOGRAPH_URL:-http://localhost:4000}/graphql"
QUERY='query ($after: String) { serviceOrders(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id serviceType city status createdAt amount customer { id } } } }'
after=null
while :; do
  page=$(jq -n --arg q "$QUERY" --argjson after "$after" '{query: $q, variables: {after: $after}}' |
    curl -sS --fail-with-body "$URL" -H "authorization: Bearer $ECOGRAPH_KEY" \
      -H 'content-type: application/json' --data-binary @-)
  if jq -e '.errors' >/dev/null <<<"$page"; then jq -c '.errors' <<<"$page" >&2; exit 1; fi
  jq -c '.data.serviceOrders.nodes[]' <<<"$page"
  [ "$(jq -r '.data.serviceOrders.pageInfo.hasNextPage' <<<"$page")" = true ] || break
  after=$(jq '.data.serviceOrders.pageInfo.endCursor' <<<"$page")
done
