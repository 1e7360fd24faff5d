import swc from 'unplugin-swc';
export default { plugins: [swc.vite({ module: { type: 'es6' } })], test: { include: ['test/seeds/seed.test.ts'], testTimeout: 120000, hookTimeout: 120000 } };
