// Bundles the browser code (src/web/<app>/main.ts or main.tsx) into dist/web/<app>.js (and
// <app>.css when the app imports styles) with esbuild; `npm run build` runs it after tsc. The
// server serves these files from dist/web under URLs versioned by their content hash.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// The project's root from src/cli/web or dist/src/cli/web.
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../..' : '../../..');
const WEB_DIR = path.join(ROOT, 'src', 'web');
export const WEB_OUT_DIR = path.join(ROOT, 'dist', 'web');

/** Every folder of src/web with a main.ts(x) is an app. */
export function webApps(): { name: string; entry: string }[] {
  return readdirSync(WEB_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const entry = ['main.tsx', 'main.ts'].map((f) => path.join(WEB_DIR, e.name, f)).find((f) => existsSync(f));
      return entry ? [{ name: e.name, entry }] : [];
    });
}

export async function bundleWeb(): Promise<void> {
  const apps = webApps();
  await build({
    entryPoints: Object.fromEntries(apps.map((a) => [a.name, a.entry])),
    outdir: WEB_OUT_DIR,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'dataurl' },
    assetNames: '[name]-[hash]',
    logLevel: 'warning',
  });
}

if (require.main === module) {
  bundleWeb().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
