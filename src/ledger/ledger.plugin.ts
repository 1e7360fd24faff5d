// The access ledger as one Apollo plugin: every non-admin request becomes one entry, committed
// before the answer leaves (ledger-writer.ts). When the database does not take it, the answer
// is replaced by a 503 LEDGER_UNAVAILABLE: nothing is served unrecorded.
import crypto from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { accessEntry, LEDGER_UNAVAILABLE } from './access-entry';
import { fieldsUsed, type FieldsUsed } from './fields-used';
import type { LedgerWriter } from './ledger-writer';

export function ledgerPlugin(writer: LedgerWriter, retryAfterSeconds: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const p = contextValue.principal;
      // Admins' reads are not recorded; their mutations are (src/writes), like everyone's.
      if (p.role === Role.ADMIN) return;
      const started = performance.now();
      let used: FieldsUsed | undefined;
      return {
        async didResolveOperation({ document, schema, request: req }) {
          used = fieldsUsed(schema, document, req.variables ?? {});
        },
        async willSendResponse({ response, operationName, queryHash }) {
          // A committed mutation's record was written in its own transaction (src/writes).
          if (contextValue.write?.ledgered) return;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const recorded = writer.record(
            accessEntry({
              principal: p,
              requestId: contextValue.requestId,
              operationName: operationName ?? request.operationName ?? null,
              // Apollo's hash of the text, when it got that far: sha256 of the query, hex.
              operationHash: queryHash ?? crypto.createHash('sha256').update(request.query ?? '').digest('hex'),
              operationId: contextValue.operationId ?? null,
              used,
              rows: contextValue.rows,
              started,
              errorCodes: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))],
            }),
          );
          try {
            await recorded;
          } catch {
            // An answer without data served nothing: it keeps its own errors (a database outage
            // stays DATABASE_UNAVAILABLE). Data is never sent unrecorded.
            const served = response.body.kind !== 'single' || (response.body.singleResult.data !== null && response.body.singleResult.data !== undefined);
            if (!served) return;
            response.http.status = 503;
            response.http.headers.set('retry-after', String(retryAfterSeconds));
            response.http.headers.delete('etag');
            response.body = {
              kind: 'single',
              singleResult: { data: null, errors: [{ message: LEDGER_UNAVAILABLE.message, extensions: { code: LEDGER_UNAVAILABLE.code } }] },
            };
          }
        },
      };
    },
  };
}
