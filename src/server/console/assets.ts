// The files the console page loads: the bundle of src/web/console (React and the screens) and
// its stylesheet, both built by `npm run build` into dist/web.
import { bundleAsset, type StaticAsset } from '../static-assets';

export const CONSOLE_ASSETS: readonly StaticAsset[] = [bundleAsset('console.css', 'style', 'console.css'), bundleAsset('console.js', 'script', 'console.js')];
