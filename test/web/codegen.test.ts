// The browser code's GraphQL operations are typed from the schema: the generated file is current,
// and an operation that does not match the schema stops the generation with its file and reason.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateWebTypes, WEB_DIR } from '../../src/cli/web/web-types';

describe('typed operations of src/web', () => {
  it('src/web/generated/graphql.ts is current (npm run codegen)', async () => {
    expect(await generateWebTypes()).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('refuses an operation that no longer matches the schema', async () => {
    const dir = mkdtempSync(path.join(WEB_DIR, 'tmp-codegen-'));
    try {
      writeFileSync(path.join(dir, 'stale.graphql'), 'query Stale { partners(first: 1) { nodes { noSuchField } } }\n');
      await expect(generateWebTypes()).rejects.toThrow(/tmp-codegen-.*stale\.graphql does not match schema\/schema\.graphql:\n.*noSuchField/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
