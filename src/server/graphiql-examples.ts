// The operations GraphiQL offers first, one per kind of user.
import type { GraphiqlExample } from './graphiql';

export const exampleOperations: GraphiqlExample[] = [
  {
    name: 'Partner catalogue',
    query: `# The partner catalogue: every role may read it.
query Partners($first: Int = 5, $after: String) {
  partners(first: $first, after: $after, orderBy: [{ name: ASC }]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { slug name category qualityTier serviceTypes cities }
  }
}`,
  },
  {
    name: 'Partner pull: my orders with cursors',
    query: `# A partner's pull: the orders it served, newest first, 20 at a time.
# Pass pageInfo.endCursor as $after to get the next page.
query MyOrders($after: String) {
  serviceOrders(first: 20, after: $after, where: { status: { eq: FULFILLED } }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id serviceType city createdAt amount customer { id ageBand district } }
  }
}`,
  },
  {
    name: 'Partner sync: what changed since my cursor',
    query: `# Keep a copy in sync: take changesCursor with the first page of a snapshot (or from
# { changesCursor }), then ask for what changed after it. UPSERT: store the node as it is now;
# DELETE: forget the row (deleted, or no longer yours to see). Keep endCursor for next time.
query Changes($after: String) {
  changes(after: $after, first: 50, types: [ServiceOrder, Partner]) {
    endCursor
    hasNextPage
    events {
      type op id resync
      node {
        ... on ServiceOrder { status amount createdAt }
        ... on Partner { slug name qualityTier }
      }
    }
  }
}`,
  },
  {
    name: 'Partner webhooks: endpoints and failed deliveries',
    query: `# Your webhook endpoints (register one with createWebhookEndpoint: its secret is shown once)
# and the deliveries that did not get a 2xx, with what your server answered.
# redeliverWebhook(input: { deliveryId: ... }) sends one again with the same webhook-id.
query Webhooks {
  webhookEndpoints { nodes { id url eventTypes status consecutiveFailures disabledReason } }
  webhookDeliveries(status: FAILED, first: 20) {
    nodes { id messageId eventType eventOp eventId attempts lastStatusCode lastError lastAttemptAt }
  }
}`,
  },
  {
    name: 'Dashboard: monthly GMV by category',
    query: `# What a dashboard charts: one series per category, one point per month.
query GmvByCategory {
  ecosystemMetrics(from: "2024-11-01", to: "2026-11-01", granularity: MONTH, groupBy: CATEGORY) {
    periods
    series { key label points { period gmv orders averageRating gmvChangePct suppressed } }
    total { points { period gmv } }
  }
  alerts { rule { name } scopeLabel periods values }
}`,
  },
  {
    name: 'Collaboration cases and KPIs',
    query: `query Cases {
  collaborationCases(first: 10, where: { model: { eq: RESOURCE_COMPLEMENTARY } }) {
    nodes { title titleEn year parties kpis { name unit valueBefore valueAfter relativeChangePct } }
  }
}`,
  },
  {
    name: 'Analyst: customers by age band',
    query: `query CustomersByBand {
  customers(first: 10, where: { ageBand: { eq: "30-39" }, city: { eq: "Shanghai" } }) {
    totalCount
    nodes { id ageBand gender district membershipLevel orders(first: 3) { nodes { serviceType amount } } }
  }
}`,
  },
  {
    name: 'Operator: screen and onboard a candidate',
    query: `# Operators (OPERATOR or ADMIN keys): rank the candidates of a capability gap, screen one,
# onboard it. Send an Idempotency-Key header to make a mutation safe to retry.
query Ranking { candidateRanking(capabilityGap: "COURTESY_CAR") { rank slug score } }

mutation Screen($id: ID!, $version: Int) {
  screenCandidate(input: { id: $id, expectedVersion: $version, serviceQuality: "90", coverage: "80", cost: "70", integration: "60" }) {
    candidate { id slug screeningScore version }
  }
}

mutation Onboard($id: ID!) {
  onboardPartner(input: { candidateId: $id, nameEn: "New partner" }) {
    partner { id slug status statusHistory { nodes { toStatus reason } } }
  }
}`,
    variables: { id: '1' },
  },
  {
    name: 'Operator: agreement, amendment, key',
    query: `# Sign an agreement, amend it from a date (the old version stays in the history), and
# create the partner's key: its secret is in this answer only.
mutation Sign($partnerId: ID!) {
  signAgreement(input: { partnerId: $partnerId, slaResponseMinutes: 30, pricingModel: PER_USE, price: "120.00",
                         settlementModel: COMMISSION, commissionRate: "0.08", dataTier: ANONYMIZED, validFrom: "2027-01-01" }) {
    agreement { id version validFrom dataTier }
  }
}

mutation Amend($id: ID!, $version: Int) {
  amendAgreement(input: { id: $id, expectedVersion: $version, effectiveFrom: "2027-07-01", dataTier: PUBLIC }) {
    agreement { id validFrom dataTier supersedesId }
    previous { id validTo }
  }
}

mutation Key($partnerId: ID!) {
  createApiKey(input: { role: PARTNER, partnerId: $partnerId, label: "production" }) { apiKey { id prefix } secret }
}`,
    variables: { partnerId: '1' },
  },
  {
    name: 'Partner: keep my catalogue current',
    query: `# A partner key writes its own service points and prices (PUBLIC data) and nothing else.
mutation Price {
  upsertPriceListItem(input: { serviceType: "COURTESY_CAR", unit: PER_DAY, price: "120.00" }) {
    priceListItem { id serviceType unit price version }
  }
}`,
  },
  {
    name: 'Partner: answer and fulfil service requests',
    query: `# Requests offered to you (answer before offerExpiresAt) and the ones you accepted.
query Offered {
  serviceRequests(where: { status: { eq: OFFERED } }) {
    nodes { id serviceType city vehicle windowStart windowEnd offerExpiresAt customerId servicePoint { name district } }
  }
}

mutation Accept($id: ID!) {
  acceptServiceRequest(input: { id: $id }) { serviceRequest { id status responseMinutes order { id amount } } }
}

mutation Decline($id: ID!) {
  declineServiceRequest(input: { id: $id, reason: "no vehicle free" }) { serviceRequest { id } }
}

mutation Report($id: ID!) {
  reportFulfilment(input: { id: $id, milestone: ARRIVED, details: "car handed over" }) {
    serviceRequest { id status arrivalMinutes arrivalBreached }
  }
}`,
    variables: { id: '1' },
  },
  {
    name: 'Operator: dispatch a service request',
    query: `# Open a request: it is allocated by quality tier and offered to the first eligible partner.
# allocation explains who was considered, in which order, and why each was skipped.
mutation Open($customerId: ID!, $servicePointId: ID!) {
  openServiceRequest(input: { serviceType: "COURTESY_CAR", customerId: $customerId, servicePointId: $servicePointId, vehicle: "Model Y, white" }) {
    serviceRequest {
      id status offerExpiresAt partner { slug qualityTier }
      allocation { position tier score outcome reason partner { slug } }
    }
  }
}`,
    variables: { customerId: '1', servicePointId: '1' },
  },
];
