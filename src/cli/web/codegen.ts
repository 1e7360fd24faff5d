// `npm run codegen`: writes src/web/generated/graphql.ts (see web-types.ts); with --check, exits 1
// when the file is not current instead. `npm run typecheck` runs it first, so an operation that
// no longer matches the schema fails there, and code reading a field the operation no longer
// selects fails in tsc. Run by vite-node straight from the TypeScript source.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_FILE, generateWebTypes } from './web-types';

async function main(): Promise<void> {
  const text = await generateWebTypes();
  let current = '';
  try {
    current = readFileSync(GENERATED_FILE, 'utf8');
  } catch {
    // first run
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${path.basename(GENERATED_FILE)} is not current: run npm run codegen`);
      process.exitCode = 1;
    }
    return;
  }
  if (current !== text) writeFileSync(GENERATED_FILE, text);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
