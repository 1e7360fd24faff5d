// Synthetic customers: about one per eight orders (at least 500). Ids follow created_at; a third
// signed up in the two years before the window, the rest during it, in step with order growth.
// Every field is SENSITIVE or ANONYMIZED in the gateway, so the values look real but are invented:
// 18-character national IDs with a valid check character, 11-digit mobile numbers, emails,
// addresses on real streets of the customer's city.
import { copyText, copyRow } from './copy';
import { DAY_MS, FOUNDING_DATE, WINDOW_DAYS, WINDOW_END_MS, WINDOW_START_MS, dayIndex, timestampText } from './calendar';
import { CITIES, email, nationalIdCheck, personName, phone, streetAddress } from './names';
import { Rng } from './random';
import { dailyWeights } from './volume';

export const CUSTOMER_COLUMNS = [
  'id', 'name', 'national_id', 'phone', 'email', 'birth_date', 'gender', 'city', 'district',
  'street_address', 'membership_level', 'consent_data_sharing', 'created_at',
] as const;

export function customerCount(orders: number): number {
  return Math.max(500, Math.round(orders / 8));
}

/** Customers by city in id (= signup) order, for picking a customer who existed at order time. */
export interface CustomerIndex {
  total: number;
  city: Uint8Array;
  createdAt: Float64Array;
  byCity: Array<{ ids: Int32Array; times: Float64Array }>;
}

const PRE_WINDOW_SHARE = 0.35;
const YEAR_MS = 365.2425 * DAY_MS;

/** Where and when each customer signed up: fixed by (seed, count), computed before the rows. */
export function buildCustomerIndex(seed: number, count: number): CustomerIndex {
  const rng = Rng.stream(seed, 'customer-core');
  const city = new Uint8Array(count);
  const createdAt = new Float64Array(count);
  const cityWeights = CITIES.map((c) => c.weight);

  // Signup density: uniform over the two years before the window, then like the order volume.
  const preDays = -dayIndex(FOUNDING_DATE);
  const inWindow = dailyWeights();
  let inSum = 0;
  for (const w of inWindow) inSum += w;
  const density = new Float64Array(preDays + WINDOW_DAYS);
  for (let i = 0; i < preDays; i++) density[i] = PRE_WINDOW_SHARE / preDays;
  for (let d = 0; d < WINDOW_DAYS; d++) density[preDays + d] = ((1 - PRE_WINDOW_SHARE) * inWindow[d]!) / inSum;

  let day = 0;
  let cumBefore = 0;
  for (let i = 0; i < count; i++) {
    // The first customers are spread over all cities so that every city has customers from the start.
    city[i] = i < CITIES.length * 10 ? i % CITIES.length : rng.weightedIndex(cityWeights);
    const target = (i + rng.next()) / count;
    while (day < density.length - 1 && cumBefore + density[day]! <= target) {
      cumBefore += density[day]!;
      day++;
    }
    const within = Math.min(0.999999, Math.max(0, (target - cumBefore) / density[day]!));
    const dayStart = WINDOW_START_MS + (day - preDays) * DAY_MS;
    createdAt[i] = dayStart + Math.floor((within * DAY_MS) / 1000) * 1000;
  }

  const sizes = new Int32Array(CITIES.length);
  for (let i = 0; i < count; i++) sizes[city[i]!]!++;
  const byCity = CITIES.map((_, c) => ({ ids: new Int32Array(sizes[c]!), times: new Float64Array(sizes[c]!) }));
  const fill = new Int32Array(CITIES.length);
  for (let i = 0; i < count; i++) {
    const c = city[i]!;
    const k = fill[c]!++;
    byCity[c]!.ids[k] = i + 1;
    byCity[c]!.times[k] = createdAt[i]!;
  }
  return { total: count, city, createdAt, byCity };
}

const GENDERS = ['FEMALE', 'MALE', 'UNDISCLOSED'] as const;
const GENDER_WEIGHTS = [48.5, 48.5, 3];
const LEVELS = ['STANDARD', 'SILVER', 'GOLD', 'PLATINUM'] as const;
const LEVEL_WEIGHTS = [60, 25, 11, 4];

/** District codes of all cities, for the national ID area prefix. */
const AREAS = CITIES.flatMap((c) => c.districts.map((d) => d.code));
const AREA_OF = new Map(AREAS.map((code, i) => [code, i]));
const BIRTH_EPOCH_MS = Date.UTC(1940, 0, 1);
const BIRTH_DAYS = 26_000; // 1940 .. 2011
const SEQ_SLOTS = 499; // sequence numbers per parity: 001..997 odd (male), 002..998 even (female)

function localDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** COPY lines of all customers in id order. */
export function* customerLines(seed: number, index: CustomerIndex): Generator<string> {
  const rng = Rng.stream(seed, 'customer-detail');
  const used = new Uint16Array(AREAS.length * BIRTH_DAYS * 2);
  const salt = Rng.stream(seed, 'national-id').int(0, SEQ_SLOTS - 1);
  for (let i = 0; i < index.total; i++) {
    const city = CITIES[index.city[i]!]!;
    const created = index.createdAt[i]!;
    const gender = GENDERS[rng.weightedIndex(GENDER_WEIGHTS)]!;
    const person = personName(rng, gender);
    const district = rng.pick(city.districts);
    // Born where they live mostly; some moved from another city.
    const birthArea = rng.chance(0.8) ? district.code : rng.pick(AREAS);

    // Age at signup 18..75, typically 30-45, and at most 75 at the end of the window.
    const maxAge = 75 - (WINDOW_END_MS - created) / YEAR_MS - 0.01;
    const age = Math.min(maxAge, 18 + 15 * (rng.next() + rng.next()) + 27 * rng.next() * rng.next());
    const birthMs = created - age * YEAR_MS;
    const birth = localDate(birthMs);
    const birthDay = Math.floor((Date.UTC(Number(birth.slice(0, 4)), Number(birth.slice(5, 7)) - 1, Number(birth.slice(8, 10))) - BIRTH_EPOCH_MS) / DAY_MS);

    const male = gender === 'MALE' || (gender === 'UNDISCLOSED' && rng.chance(0.5));
    const slot = ((AREA_OF.get(birthArea)! * BIRTH_DAYS + birthDay) * 2) + (male ? 1 : 0);
    const n = used[slot]!++;
    if (n >= SEQ_SLOTS) throw new Error('national ID sequence space exhausted');
    const seqIndex = (n + salt + (slot % 97)) % SEQ_SLOTS;
    const seq = String(seqIndex * 2 + (male ? 1 : 2)).padStart(3, '0');
    const first17 = birthArea + birth.replace(/-/g, '') + seq;
    const nationalId = first17 + nationalIdCheck(first17);

    const level = LEVELS[rng.weightedIndex(LEVEL_WEIGHTS)]!;
    yield copyRow([
      String(i + 1),
      copyText(person.name),
      nationalId,
      phone(rng),
      copyText(email(rng, person)),
      birth,
      gender,
      city.name,
      copyText(district.name),
      copyText(streetAddress(rng, city)),
      level,
      rng.chance(0.8) ? 't' : 'f',
      timestampText(created),
    ]);
  }
}
