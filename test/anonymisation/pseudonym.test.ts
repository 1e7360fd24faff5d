import { describe, expect, it } from 'vitest';
import { ageBand } from '../../src/anonymisation/generalise';
import { Pseudonymizer } from '../../src/anonymisation/pseudonym';

const p = new Pseudonymizer('a-secret-that-is-long-enough-0123456789');

describe('pseudonyms', () => {
  it('are stable for one audience and differ between audiences', () => {
    expect(p.encode('partner:1', 'customer', 42)).toBe(p.encode('partner:1', 'customer', 42));
    expect(p.encode('partner:1', 'customer', 42)).not.toBe(p.encode('partner:2', 'customer', 42));
    expect(p.encode('partner:1', 'customer', 42)).not.toBe(p.encode('analyst', 'customer', 42));
    expect(p.encode('partner:1', 'customer', 42)).not.toBe(p.encode('partner:1', 'customer', 43));
  });

  it('map back only for their own audience, and never from a forgery', () => {
    const ps = p.encode('partner:1', 'customer', 42);
    expect(ps).toMatch(/^cus_[\w-]{22}$/);
    expect(ps).not.toContain('42');
    expect(p.decode('partner:1', 'customer', ps)).toBe(42);
    expect(p.decode('partner:2', 'customer', ps)).toBeUndefined();
    expect(p.decode('partner:1', 'customer', 'cus_AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(p.decode('partner:1', 'customer', '42')).toBeUndefined();
    expect(p.decode('partner:1', 'customer', `${ps}x`)).toBeUndefined();
  });

  it('do not depend on what was encoded before (one cipher per audience serves every id)', () => {
    const ids = [1, 2, 3, 2 ** 40, 42, 2];
    const warm = ids.map((id) => p.encode('partner:7', 'customer', id));
    const cold = ids.map((id) => new Pseudonymizer('a-secret-that-is-long-enough-0123456789').encode('partner:7', 'customer', id));
    expect(warm).toEqual(cold);
    expect(warm.map((ps) => p.decode('partner:7', 'customer', ps))).toEqual(ids);
  });

  it('depend on the secret', () => {
    const other = new Pseudonymizer('another-secret-that-is-long-enough-987');
    expect(other.encode('partner:1', 'customer', 42)).not.toBe(p.encode('partner:1', 'customer', 42));
  });
});

describe('age bands', () => {
  const today = new Date('2026-11-22T00:00:00Z');
  it('are 10-year bands by age on the day', () => {
    expect(ageBand('1990-11-22', today)).toBe('30-39'); // 36 today
    expect(ageBand('1996-11-22', today)).toBe('30-39'); // 30th birthday today
    expect(ageBand('1996-11-23', today)).toBe('20-29'); // 30 tomorrow
    expect(ageBand('1950-01-01', today)).toBe('70-79');
  });
});
