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
];
