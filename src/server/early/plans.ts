// What Apollo learned answering a query by the compiled path, kept for its repeats: the
// validated document and operation (for the shield's rules and the quota's cost), the fields by
// tier (for the ledger) and the compiled statement. Keyed like the compiled path's own cache (the
// caller's cut and scope, the variables) plus the request's text and operation name, so that a
// repeat is found from the request body alone, before Apollo (early-answers.ts).
import crypto from 'node:crypto';
import type { GraphQLRequestContext } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { schemaKeyOf, type Principal } from '../../auth/principal';
import type { CompiledOperation } from '../../db/compile/operation';
import { fieldsUsed, type FieldsUsed } from '../../ledger/fields-used';
import { cacheKey } from '../cache-key';
import type { Context } from '../context';
import { earlyStatement, type EarlyStatement, type Variant } from './statement';

export interface EarlyPlan {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** What the ledger records of every repeat. */
  facts: { operationName: string | null; operationHash: string };
  used: FieldsUsed;
  compiled: CompiledOperation;
  /** The statement of each variant, built on first use. */
  statements: Partial<Record<Variant, EarlyStatement>>;
}

export function statementOf(plan: EarlyPlan, variant: Variant): EarlyStatement {
  return (plan.statements[variant] ??= earlyStatement(variant, plan.compiled));
}

export class EarlyPlans {
  private readonly plans = new Map<string, EarlyPlan>();

  /** At most `maxEntries` plans; when full, the memory starts afresh. */
  constructor(private readonly maxEntries = 1_000) {}

  /** undefined when the variables cannot be restated as JSON (nested past the stack): no plan for them. */
  static key(p: Principal, query: string, operationName: string | null | undefined, variables: unknown): string | undefined {
    let json: string;
    try {
      json = JSON.stringify(variables ?? {});
    } catch {
      return undefined;
    }
    return cacheKey(`${schemaKeyOf(p)}|${p.partnerId ?? ''}|${p.suspended ? 's' : ''}|${operationName ?? ''}|${json}|${query}`);
  }

  get size(): number {
    return this.plans.size;
  }

  get(key: string | undefined): EarlyPlan | undefined {
    return key === undefined ? undefined : this.plans.get(key);
  }

  /** Keeps what Apollo learned of a request the compiled path has just answered. */
  remember(rc: GraphQLRequestContext<Context>, compiled: CompiledOperation): void {
    const { request, document, operation, schema } = rc;
    if (typeof request.query !== 'string' || !document || !operation) return;
    const key = EarlyPlans.key(rc.contextValue.principal, request.query, request.operationName, request.variables);
    if (key === undefined || this.plans.has(key)) return;
    const used = fieldsUsed(schema, document, request.variables ?? {});
    if (this.plans.size >= this.maxEntries) this.plans.clear();
    this.plans.set(key, {
      schema,
      document,
      operation,
      compiled,
      facts: {
        operationName: rc.operationName ?? null,
        operationHash: rc.queryHash ?? crypto.createHash('sha256').update(request.query).digest('hex'),
      },
      used,
      statements: {},
    });
  }
}
