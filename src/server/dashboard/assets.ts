// The fixed list of files the dashboard page loads: ECharts' minified bundle read from
// node_modules (located with require.resolve('echarts/package.json')) and the page's own script
// and stylesheet, kept as TypeScript string modules because tsc copies no .js/.css to dist.
import { inlineAsset, packageAsset, type StaticAsset } from '../static-assets';
import { DASHBOARD_SCRIPT } from './client-script';
import { DASHBOARD_STYLE } from './page-style';

/** In load order: the page script expects the global `echarts`. */
export const DASHBOARD_ASSETS: readonly StaticAsset[] = [
  inlineAsset('ecograph-dashboard.css', 'style', DASHBOARD_STYLE),
  packageAsset('echarts.min.js', 'script', 'echarts', 'dist/echarts.min.js'),
  inlineAsset('ecograph-dashboard.js', 'script', DASHBOARD_SCRIPT),
];
