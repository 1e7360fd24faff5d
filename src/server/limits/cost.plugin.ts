// The cost limit runs per request, after the operation is resolved: Apollo caches validated
// documents, and the cost depends on the variables (`first: $n`) of this request.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Context } from '../context';
import { memoByNodeAndVariables } from '../../graphql/document-memo';
import { estimateCost, type PaginationLimits } from './cost.rule';

export function costLimitPlugin(maxCost: number, pagination: PaginationLimits): ApolloServerPlugin<Context> {
  const costOf = memoByNodeAndVariables((schema, document: DocumentNode, variables) => estimateCost(schema, document, variables, pagination));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const cost = costOf(schema, document, request.variables);
          if (cost > maxCost) {
            throw new GraphQLError(`The query could return about ${cost} rows; the limit is ${maxCost}. Ask for smaller pages.`, {
              extensions: { code: 'QUERY_TOO_COSTLY', limit: maxCost, cost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
