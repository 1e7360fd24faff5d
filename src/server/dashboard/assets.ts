// The files the dashboard page loads: the bundle of src/web/dashboard (its code with the parts of
// ECharts it draws with) and its stylesheet, both built by `npm run build` into dist/web.
import { bundleAsset, type StaticAsset } from '../static-assets';

export const DASHBOARD_ASSETS: readonly StaticAsset[] = [
  bundleAsset('dashboard.css', 'style', 'dashboard.css'),
  bundleAsset('dashboard.js', 'script', 'dashboard.js'),
];
