// Hands what only Apollo knows (the resolved operation name, the error codes of the response
// after formatError) to the request log line and the metrics (request-log.ts). The context
// object of a request carries its observation (res.locals) under a symbol, set when the
// context is built. (A symbol property, not a WeakMap keyed by the context: Apollo executes
// with a shallow copy of the context, and Object.assign copies symbol properties too.)
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestObservation } from './request-log';

const OBSERVATION = Symbol('ecograph.observation');
type Observed = { [OBSERVATION]?: RequestObservation };

/** Called by the context function of graphql-handlers.ts with the request's res.locals. */
export function linkObservation(context: object, observation: RequestObservation): void {
  (context as Observed)[OBSERVATION] = observation;
}

export function loggingPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const obs = (contextValue as Observed)[OBSERVATION];
      if (!obs) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          obs.resolved = operation !== undefined;
          obs.operationName = operationName ?? null;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length > 0) obs.errorCodes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
        },
      };
    },
  };
}
