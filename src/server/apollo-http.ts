// Apollo Server on node's request and response (what @as-integrations/express5 does, without
// express's response helpers, so that it runs on the lean /graphql path: lean-http.ts).
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { sendText, type LeanHandler, type LeanRequest, type LeanResponse } from './lean-http';
import type { ObservedLocals } from './observability/request-log';

/**
 * Apollo answers some refusals before any plugin runs (CSRF, bad POST bodies, 405, 406): their
 * codes, for the request log, come from the JSON it sends.
 */
function observeRefusal(res: LeanResponse, status: number, body: string): void {
  const locals = res.locals as ObservedLocals;
  if (status < 400 || locals.errorCodes || body.length >= 65_536) return;
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors;
    if (Array.isArray(errors)) locals.errorCodes = errors.map((e) => String(e?.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  } catch {
    /* not JSON: the status says enough */
  }
}

export function apolloHandler<C extends BaseContext>(server: ApolloServer<C>, context: (req: LeanRequest, res: LeanResponse) => Promise<C>): LeanHandler {
  server.assertStarted('apolloHandler()');
  return async (req, res, next) => {
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const url = req.url ?? '';
      const q = url.indexOf('?');
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: q < 0 ? '' : url.slice(q), body: req.body },
        context: () => context(req, res),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      const status = response.status ?? 200;
      if (response.body.kind === 'complete') {
        observeRefusal(res, status, response.body.string);
        sendText(res, status, response.body.string);
        return;
      }
      res.statusCode = status;
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (err) {
      next(err);
    }
  };
}
