// Typed operations for the partner client, from the partner's SDL (schema.graphql, written by
// `npm run cli -- schema --role partner-anonymized`) and operations.graphql.
//
// In your own project, with @graphql-codegen/cli installed next to the three plugins below:
//   npx graphql-codegen --config codegen.ts
// The default export is that command's configuration. `generate()` runs the same plugins with
// the same configuration in process (it is what this repository's test uses to check that
// generated/graphql.ts is current; regenerate it with ECOGRAPH_UPDATE_DOCS=1 npx vitest run test/docs).
import { buildSchema, parse, validate } from 'graphql';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';

/**
 * The plugins' shared settings: money and dates are strings on the wire. typescript-operations
 * (v6) emits the enums and input types the operations use by itself: the `typescript` plugin
 * (every type of the schema) is not needed, and next to it would declare the enums twice.
 */
export const PLUGIN_CONFIG = {
  scalars: {
    Money: 'string',
    Decimal: 'string',
    Date: 'string',
    DateTime: 'string',
    JSON: 'unknown',
  },
  strictScalars: true,
  enumType: 'string-literal',
  useTypeImports: true,
  // Documents as typed strings: the client needs nothing but fetch.
  documentMode: 'string',
} as const;

export const PLUGINS = ['typescript-operations', 'typed-document-node'] as const;

/** The @graphql-codegen/cli configuration (CodegenConfig). */
const config = {
  overwrite: true,
  schema: 'schema.graphql',
  documents: 'operations.graphql',
  generates: {
    'generated/graphql.ts': {
      plugins: [...PLUGINS],
      config: PLUGIN_CONFIG,
    },
  },
};
export default config;

const IMPLEMENTATIONS = {
  'typescript-operations': typescriptOperations,
  'typed-document-node': typedDocumentNode,
} as const;

interface PluginOutput {
  prepend?: string[];
  content: string;
  append?: string[];
}

/** Runs the configured plugins on an SDL and an operations file; returns generated/graphql.ts. */
export async function generate(schemaSdl: string, operations: string, operationsFile = 'operations.graphql'): Promise<string> {
  const schema = buildSchema(schemaSdl);
  const document = parse(operations);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(`${operationsFile} does not match the schema: ${errors.map((e) => e.message).join('; ')}`);
  const documents = [{ location: operationsFile, document, rawSDL: operations }];
  const prepend: string[] = [];
  const contents: string[] = [];
  const append: string[] = [];
  for (const name of PLUGINS) {
    const plugin = IMPLEMENTATIONS[name] as unknown as {
      plugin: (schema: unknown, documents: unknown, config: unknown, info: unknown) => Promise<string | PluginOutput> | string | PluginOutput;
    };
    const out = await plugin.plugin(schema, documents, { ...PLUGIN_CONFIG }, { outputFile: 'generated/graphql.ts' });
    const result: PluginOutput = typeof out === 'string' ? { content: out } : out;
    for (const line of result.prepend ?? []) if (!prepend.includes(line)) prepend.push(line);
    if (result.content) contents.push(result.content);
    append.push(...(result.append ?? []));
  }
  const text = [...prepend, contents.join('\n'), ...append].join('\n');
  return `${text.trimEnd()}\n`;
}
