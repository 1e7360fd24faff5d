// ECharts, bundled with only what the dashboard draws (line, bar and scatter charts on a grid,
// legend, tooltip, canvas): about half of the full echarts.min.js (550 kB of 1.1 MB, minified).
import { BarChart, LineChart, ScatterChart, type BarSeriesOption, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  LegendScrollComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, ScatterChart, GridComponent, LegendComponent, LegendScrollComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  LineSeriesOption | BarSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
export type SeriesOption = LineSeriesOption | BarSeriesOption | ScatterSeriesOption;
export type Chart = echarts.ECharts;

export function initChart(el: HTMLElement): Chart {
  return echarts.init(el, null, { renderer: 'canvas' });
}
