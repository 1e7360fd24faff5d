import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// swc (not esbuild) so that decorator metadata reaches type-graphql and MikroORM.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  // One graphql instance: type-graphql (loaded by Node) gets the CommonJS build, so our
  // sources must too, or `instanceof GraphQLScalarType` fails across the two copies.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/per-file.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
