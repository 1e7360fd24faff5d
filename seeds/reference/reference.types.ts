// Types of the reference data transcribed from /work/shared/reference (see partners.data.ts, cases.data.ts).
// Pure types: no runtime code.

export type PartnerCategory = 'CAPABILITY_COMPLEMENT' | 'RESOURCE_SHARING' | 'TRAFFIC_EXCHANGE' | 'INNOVATION_CO_CREATION';

export type ApiOpenness = 'CLOSED' | 'PARTNER_API' | 'OPEN_API';

export interface ReferencePartner {
  slug: string; // lowercase ascii, hyphens, unique, e.g. 'shenzhou-zuche'
  name: string; // as written in the document, e.g. '神州租车'
  nameEn: string; // common English name, e.g. 'CAR Inc. (Shenzhou Zuche)'
  category: PartnerCategory;
  industry: string; // short English industry, e.g. 'car rental', 'insurance', 'charging'
  serviceTypes: string[]; // UPPER_SNAKE service types from the shared vocabulary in partners.data.ts
  cities: string[]; // cities covered, English names
  apiOpenness: ApiOpenness;
  description: string; // one English sentence: the role in the ecosystem, citing the document's facts
  source: string; // which document and section, e.g. '001 4类核心伙伴 / 能力补充型'
}

export type CollaborationModel = 'RESOURCE_COMPLEMENTARY' | 'TECHNOLOGY_DRIVEN' | 'ECOSYSTEM_CO_BUILDING';

export type KpiFamily =
  | 'GMV'
  | 'CONVERSION'
  | 'USERS'
  | 'ENGAGEMENT'
  | 'COST'
  | 'EFFICIENCY'
  | 'REACH'
  | 'SATISFACTION'
  | 'INCOME'
  | 'SALES';

export interface ReferenceKpi {
  name: string; // English, e.g. 'Online order share'
  family: KpiFamily;
  unit: string; // '%', 'RMB', 'users', 'count', 'minutes', 'plays', 'uses', 'stores', 'cities', 'provinces', ...
  valueBefore: string | null; // exact decimal as a string when the document gives the before value, e.g. '12'
  valueAfter: string | null; // exact decimal as a string, e.g. '28'
  reportedChangePct: string | null; // relative change the document states, decimal string percent ('19' = +19%, '-40' = -40%)
  period: string; // e.g. '2024', '3 months after launch', '2024 H2'
  source: string; // document + section, e.g. '000 3.2.1'
}

export interface ReferenceCase {
  slug: string;
  title: string;
  titleEn: string;
  parties: string[]; // as written, e.g. ['阿里本地生活', '万达广场']
  industries: string[]; // English, e.g. ['e-commerce', 'commercial real estate']
  model: CollaborationModel;
  year: number;
  summary: string; // 1-3 English sentences
  successFactors: string[]; // English, from the document
  risks: string[]; // English, from the document
  kpis: ReferenceKpi[];
}

export interface ReferenceIndicator {
  slug: string; // e.g. 'collaboration-success-rate'
  name: string; // English
  unit: string; // '%', 'RMB', 'T RMB'
  year: number;
  value: string; // exact decimal string
  kind: 'ACTUAL' | 'FORECAST';
  source: string;
}
