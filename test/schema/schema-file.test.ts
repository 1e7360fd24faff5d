import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config';
import { fullSchema, printSdl } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('is the SDL the code generates (run `npm run schema:print` after changing a type)', () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printSdl(fullSchema()));
  });
});
