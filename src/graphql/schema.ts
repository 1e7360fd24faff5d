// The full schema (everything an admin may see). Per-role schemas are derived from it in
// permissions/role-schema.ts.
import 'reflect-metadata';
import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { AgreementResolver } from '../modules/agreements/agreement.resolver';
import { AccessRecordResolver } from '../modules/ledger/access-record.resolver';
import { EcosystemMetricsResolver } from '../metrics/ecosystem/metrics.resolver';
import { metricsRuleResolvers } from '../metrics/resolvers';
import { CollaborationCaseResolver } from '../modules/cases/case.resolver';
import { CatalogueResolver } from '../modules/catalogue/catalogue.resolver';
import { CustomerResolver } from '../modules/customers/customer.resolver';
import { ComplaintResolver, RatingResolver, ServiceOrderResolver } from '../modules/orders/order.resolver';
import { partnerRelationResolvers, PartnerResolver } from '../modules/partners/partner.resolver';
import { SettlementResolver } from '../modules/settlements/settlement.resolver';
import { tierDirective } from './tier-directive';
import { AgreementMutations } from '../modules/agreements/agreement.mutations';
import { CatalogueMutations } from '../modules/catalogue/catalogue.mutations';
import { ConsentResolver } from '../modules/customers/consent.resolver';
import { ApiKeyResolver } from '../modules/keys/api-key.resolver';
import { PartnerMutations } from '../modules/partners/partner.mutations';
import { ChangeResolver } from '../changes/change.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { PersistedOperationResolver } from '../persisted/persisted-operation.resolver';
import { dispatchResolvers } from '../modules/dispatch/service-request.resolver';
import { DispatchMutations } from '../modules/dispatch/dispatch.mutations';
import { FeedbackMutations } from '../modules/orders/feedback.mutations';

export const resolvers = [
  PartnerResolver,
  ...partnerRelationResolvers,
  AgreementResolver,
  CatalogueResolver,
  CustomerResolver,
  ServiceOrderResolver,
  RatingResolver,
  ComplaintResolver,
  SettlementResolver,
  CollaborationCaseResolver,
  AccessRecordResolver,
  EcosystemMetricsResolver,
  ...metricsRuleResolvers,
  ApiKeyResolver,
  PartnerMutations,
  AgreementMutations,
  ConsentResolver,
  CatalogueMutations,
  ChangeResolver,
  WebhookResolver,
  PersistedOperationResolver,
  ...dispatchResolvers,
  DispatchMutations,
  FeedbackMutations,
] as const;

let built: GraphQLSchema | undefined;

export function fullSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [...resolvers],
    directives: [...specifiedDirectives, tierDirective],
    validate: false,
  });
  return built;
}

export function printSdl(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(schema).trim()}\n`;
}
