import { describe, it, expect } from 'vitest';
import { referenceCases, referenceIndicators } from '../../seeds/reference/cases.data';
import { referencePartners } from '../../seeds/reference/partners.data';
import type { PartnerCategory } from '../../seeds/reference/reference.types';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const SERVICE_TYPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const CATEGORIES: PartnerCategory[] = ['CAPABILITY_COMPLEMENT', 'RESOURCE_SHARING', 'TRAFFIC_EXCHANGE', 'INNOVATION_CO_CREATION'];
const MODELS = ['RESOURCE_COMPLEMENTARY', 'TECHNOLOGY_DRIVEN', 'ECOSYSTEM_CO_BUILDING'];
const FAMILIES = ['GMV', 'CONVERSION', 'USERS', 'ENGAGEMENT', 'COST', 'EFFICIENCY', 'REACH', 'SATISFACTION', 'INCOME', 'SALES'];

function duplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function expectDecimal(value: string | null, where: string): void {
  if (value === null) return;
  expect(value, where).toMatch(DECIMAL);
  expect(Number.isFinite(Number(value)), where).toBe(true);
}

describe('reference partners (001)', () => {
  it('has unique, well-formed slugs', () => {
    const slugs = referencePartners.map((p) => p.slug);
    for (const slug of slugs) expect(slug).toMatch(SLUG);
    expect(duplicates(slugs)).toEqual([]);
  });

  it('lists each organisation once', () => {
    expect(duplicates(referencePartners.map((p) => p.name))).toEqual([]);
  });

  it('gives every partner a valid category, service types, cities and source', () => {
    for (const p of referencePartners) {
      expect(CATEGORIES, p.slug).toContain(p.category);
      expect(p.serviceTypes.length, p.slug).toBeGreaterThan(0);
      for (const t of p.serviceTypes) expect(t, p.slug).toMatch(SERVICE_TYPE);
      expect(duplicates(p.serviceTypes), p.slug).toEqual([]);
      expect(p.cities.length, p.slug).toBeGreaterThan(0);
      expect(duplicates(p.cities), p.slug).toEqual([]);
      expect(['CLOSED', 'PARTNER_API', 'OPEN_API'], p.slug).toContain(p.apiOpenness);
      expect(p.name.trim(), p.slug).not.toBe('');
      expect(p.nameEn.trim(), p.slug).not.toBe('');
      expect(p.description.trim(), p.slug).not.toBe('');
      expect(p.source, p.slug).toMatch(/^001 /);
    }
  });

  it('covers all four partner categories', () => {
    const present = new Set(referencePartners.map((p) => p.category));
    for (const c of CATEGORIES) expect(present.has(c), c).toBe(true);
  });

  it('includes the partners named in 001', () => {
    const names = referencePartners.map((p) => p.name);
    for (const n of [
      '神州租车', '一嗨', '中国人保', '安盛', '平安', '太保', '招联金融', '京东白条', '瓜子', '人人车', 'e养车', '途虎',
      '京东物流', '顺丰', '特来电', '星星充电', '连锁便利店', '加油站', '高德地图', '百度地图', '阿里云', '华为云',
      '美团', '大众点评', '支付宝', '微信支付', '京东', '天猫', '微信', '抖音',
      '华为', '商汤科技', '清华', '中科院', '中国汽车流通协会',
    ]) {
      expect(names, n).toContain(n);
    }
  });
});

describe('reference cases (000)', () => {
  it('has unique, well-formed slugs', () => {
    const slugs = referenceCases.map((c) => c.slug);
    for (const slug of slugs) expect(slug).toMatch(SLUG);
    expect(duplicates(slugs)).toEqual([]);
  });

  it('gives every case a valid model, parties and at least one KPI', () => {
    for (const c of referenceCases) {
      expect(MODELS, c.slug).toContain(c.model);
      expect(c.parties.length, c.slug).toBeGreaterThanOrEqual(2);
      expect(c.industries.length, c.slug).toBeGreaterThan(0);
      expect(Number.isInteger(c.year), c.slug).toBe(true);
      expect(c.kpis.length, c.slug).toBeGreaterThan(0);
    }
  });

  it('gives every KPI a value after or a reported change, all as finite decimal strings', () => {
    for (const c of referenceCases) {
      for (const k of c.kpis) {
        const where = `${c.slug} / ${k.name}`;
        expect(FAMILIES, where).toContain(k.family);
        expect(k.valueAfter !== null || k.reportedChangePct !== null, where).toBe(true);
        expectDecimal(k.valueBefore, where);
        expectDecimal(k.valueAfter, where);
        expectDecimal(k.reportedChangePct, where);
        expect(k.source, where).toMatch(/^000 /);
      }
    }
  });

  it('contains the nine cases of DOMAIN.md', () => {
    const has = (...parties: string[]) =>
      referenceCases.some((c) => parties.every((p) => c.parties.some((q) => q.includes(p))));
    expect(has('阿里本地生活', '万达广场')).toBe(true);
    expect(has('抖音电商', '敦煌研究院')).toBe(true);
    expect(has('京东健康', '中国邮政')).toBe(true);
    expect(has('拼多多', '宁德时代')).toBe(true);
    expect(has('京东', '百度')).toBe(true);
    expect(has('抖音', '商汤')).toBe(true);
    expect(has('京东', '美团')).toBe(true);
    expect(has('美团', '永辉')).toBe(true);
    expect(referenceCases.some((c) => c.parties.includes('拼多多') && c.title.includes('多多农园'))).toBe(true);
  });

  it('keeps the headline Alibaba x Wanda figures', () => {
    const wanda = referenceCases.find((c) => c.parties.includes('万达广场'));
    const share = wanda?.kpis.find((k) => k.name === 'Online order share of Wanda Plaza');
    expect(share?.valueBefore).toBe('12');
    expect(share?.valueAfter).toBe('28');
  });
});

describe('reference indicators (000)', () => {
  it('has well-formed slugs, unique per year and kind', () => {
    for (const i of referenceIndicators) expect(i.slug).toMatch(SLUG);
    expect(duplicates(referenceIndicators.map((i) => `${i.slug}@${i.year}/${i.kind}`))).toEqual([]);
  });

  it('uses finite decimal strings and valid kinds', () => {
    for (const i of referenceIndicators) {
      expectDecimal(i.value, `${i.slug}@${i.year}`);
      expect(['ACTUAL', 'FORECAST']).toContain(i.kind);
    }
  });

  it('has the collaboration success rate 47 (2024) and 65 (2025 forecast)', () => {
    const rate = (year: number) =>
      referenceIndicators.find((i) => i.slug === 'collaboration-success-rate' && i.year === year);
    expect(rate(2024)?.value).toBe('47');
    expect(rate(2024)?.kind).toBe('ACTUAL');
    expect(rate(2025)?.value).toBe('65');
    expect(rate(2025)?.kind).toBe('FORECAST');
  });
});
