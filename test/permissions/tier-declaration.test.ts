// Every field carries a tier, declared once; every root field states who may call it.
import { describe, expect, it } from 'vitest';
import { isInputObjectType, isObjectType } from 'graphql';
import { fullSchema, printSdl } from '../../src/graphql/schema';
import { rootAccessOf } from '../../src/graphql/root-field';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { Tier } from '../../src/permissions/tier';

const schema = fullSchema();
const objectTypes = Object.values(schema.getTypeMap()).filter(
  (t) => isObjectType(t) && !t.name.startsWith('__') && t !== schema.getQueryType() && t !== schema.getMutationType(),
);

describe('tier declarations', () => {
  it('give every field of every object type a tier', () => {
    const missing: string[] = [];
    for (const t of objectTypes) {
      if (!isObjectType(t)) continue;
      for (const f of Object.values(t.getFields())) if (!tierInfoOf(f.extensions)) missing.push(`${t.name}.${f.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('give every filter and sort key the tier of its field', () => {
    const missing: string[] = [];
    for (const t of Object.values(schema.getTypeMap())) {
      if (!isInputObjectType(t) || !(t.name.endsWith('Where') || t.name.endsWith('OrderBy'))) continue;
      for (const f of Object.values(t.getFields())) {
        if (['and', 'or', 'not'].includes(f.name)) continue;
        const info = tierInfoOf(f.extensions);
        const owner = schema.getType(t.name.replace(/(Where|OrderBy)$/, ''));
        const field = isObjectType(owner) ? owner.getFields()[f.name] : undefined;
        if (!info || !field || tierInfoOf(field.extensions)?.tier !== info.tier) missing.push(`${t.name}.${f.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('state who may call every root field', () => {
    const roots = [schema.getQueryType()!, schema.getMutationType()!];
    const missing = roots.flatMap((r) => Object.values(r.getFields())).filter((f) => !(rootAccessOf(f.extensions)?.roles.length));
    expect(missing.map((f) => f.name)).toEqual([]);
  });

  it('show the tier in the SDL next to every field', () => {
    const sdl = printSdl(schema);
    for (const t of objectTypes) {
      if (!isObjectType(t)) continue;
      for (const f of Object.values(t.getFields())) {
        const tier = tierInfoOf(f.extensions)!.tier;
        expect(Object.values(Tier)).toContain(tier);
      }
    }
    expect(sdl).toContain('name: String @tier(level: SENSITIVE)');
    expect(sdl).toContain('directive @tier(level: DataTier!) on FIELD_DEFINITION | INPUT_FIELD_DEFINITION');
  });

  it('mark customer names, national ids and contact details SENSITIVE', () => {
    const customer = schema.getType('Customer');
    if (!isObjectType(customer)) throw new Error('no Customer type');
    for (const name of ['name', 'nationalId', 'phone', 'email']) {
      expect(tierInfoOf(customer.getFields()[name].extensions)?.tier).toBe(Tier.SENSITIVE);
    }
  });
});
