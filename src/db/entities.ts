// Every persistence entity, for the ORM and the migrator.
import { AgreementEntity } from '../modules/agreements/agreement.entity';
import { CaseKpiEntity } from '../modules/cases/case-kpi.entity';
import { CollaborationCaseEntity } from '../modules/cases/collaboration-case.entity';
import { ReportIndicatorEntity } from '../modules/cases/indicator.entity';
import { PriceListItemEntity } from '../modules/catalogue/price-list-item.entity';
import { ServicePointEntity } from '../modules/catalogue/service-point.entity';
import { CustomerEntity } from '../modules/customers/customer.entity';
import { ApiKeyEntity } from '../modules/keys/api-key.entity';
import { KeyTermsGenerationEntity } from '../auth/key-terms-generation.entity';
import { ComplaintEntity } from '../modules/orders/complaint.entity';
import { RatingEntity } from '../modules/orders/rating.entity';
import { ServiceOrderEntity } from '../modules/orders/service-order.entity';
import { CandidatePartnerEntity } from '../modules/partners/candidate.entity';
import { PartnerTierHistoryEntity } from '../modules/partners/partner-tier-history.entity';
import { PartnerEntity } from '../modules/partners/partner.entity';
import { PartnerStatusChangeEntity } from '../modules/partners/partner-status-change.entity';
import { IdempotencyKeyEntity } from '../writes/idempotency.entity';
import { SettlementEntity } from '../modules/settlements/settlement.entity';
import { AccessRecordEntity } from '../modules/ledger/access-record.entity';
import { SeedStateEntity } from './seed-state.entity';
import { ChangeLogEntity, ChangeLogHorizonEntity } from '../changes/change-log.entity';
import { AlertRuleEntity } from '../metrics/alerts/alert-rule.entity';
import { MetricCubeEntity } from '../metrics/rollups/metric-cube.entity';
import { MetricDirtyMonthEntity } from '../metrics/rollups/metric-dirty-month.entity';
import { MetricGroupEntity } from '../metrics/rollups/metric-group.entity';
import { MetricRefreshingMonthEntity } from '../metrics/rollups/metric-refreshing-month.entity';
import { MetricRollupVersionEntity } from '../metrics/rollups/metric-rollup-version.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';
import { PersistedOperationEntity } from '../persisted/persisted-operation.entity';
import { DispatchRuleEntity } from '../modules/dispatch/dispatch-rule.entity';
import { ServiceRequestEntity } from '../modules/dispatch/service-request.entity';
import { AllocationStepEntity } from '../modules/dispatch/allocation-step.entity';
import { FulfilmentEventEntity } from '../modules/dispatch/fulfilment-event.entity';

export const entities = [
  PartnerEntity,
  PartnerTierHistoryEntity,
  CandidatePartnerEntity,
  AgreementEntity,
  ServicePointEntity,
  PriceListItemEntity,
  CustomerEntity,
  ServiceOrderEntity,
  RatingEntity,
  ComplaintEntity,
  SettlementEntity,
  CollaborationCaseEntity,
  CaseKpiEntity,
  ReportIndicatorEntity,
  ApiKeyEntity,
  KeyTermsGenerationEntity,
  SeedStateEntity,
  AccessRecordEntity,
  MetricCubeEntity,
  MetricGroupEntity,
  MetricDirtyMonthEntity,
  MetricRefreshingMonthEntity,
  MetricRollupVersionEntity,
  AlertRuleEntity,
  PartnerStatusChangeEntity,
  IdempotencyKeyEntity,
  ChangeLogEntity,
  ChangeLogHorizonEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  PersistedOperationEntity,
  DispatchRuleEntity,
  ServiceRequestEntity,
  AllocationStepEntity,
  FulfilmentEventEntity,
];
