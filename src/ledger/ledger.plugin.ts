// The access ledger as one Apollo plugin: every non-admin request becomes one entry.
import crypto from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { fieldsUsed, type FieldsUsed } from './fields-used';
import type { LedgerWriter } from './ledger-writer';

export function ledgerPlugin(writer: LedgerWriter): ApolloServerPlugin<Context> {
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
        async willSendResponse({ response, operationName }) {
          // A committed mutation's record was written in its own transaction (src/writes).
          if (contextValue.write?.ledgered) return;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          writer.record({
            at: new Date(),
            requestId: contextValue.requestId,
            role: p.role,
            keyId: p.keyId ?? null,
            partnerId: p.partnerId ?? null,
            operationName: operationName ?? request.operationName ?? null,
            operationHash: crypto.createHash('sha256').update(request.query ?? '').digest('hex'),
            operationId: contextValue.operationId ?? null,
            publicFields: used?.byTier.PUBLIC ?? [],
            anonymizedFields: used?.byTier.ANONYMIZED ?? [],
            sensitiveFields: used?.byTier.SENSITIVE ?? [],
            filterFields: used?.filterOnly ?? [],
            rowCount: contextValue.rows,
            durationMs: Math.round(performance.now() - started),
            errorCodes: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))],
          });
        },
      };
    },
  };
}
