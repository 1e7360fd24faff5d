// What every chart shares: palette, font, grid, legend and tooltip; named axes.
import type { ChartOption } from './echarts';

const reduceMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif';
export const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#8250df', '#cf222e', '#0a7f83', '#bc4c00', '#6e7781'];
/** Room under the grid for an x-axis name (see xNamed). */
export const X_NAMED_GRID_BOTTOM = 30;

export function baseOption(extra: ChartOption): ChartOption {
  return {
    animation: !reduceMotion,
    animationDuration: 400,
    animationDurationUpdate: 300,
    color: PALETTE,
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 20, top: 56, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', confine: true },
    ...extra,
  };
}

/** A value axis named at its top end. */
export function yNamed<T extends object>(axis: T, name: string): T & { name: string; nameTextStyle: object } {
  return { ...axis, name, nameTextStyle: { color: '#59636e', align: 'left', padding: [0, 0, 0, -4] } };
}

/** An axis named under its middle (the grid leaves X_NAMED_GRID_BOTTOM for it). */
export function xNamed<T extends object>(axis: T, name: string): T & { name: string; nameLocation: 'middle'; nameGap: number; nameTextStyle: object } {
  return { ...axis, name, nameLocation: 'middle', nameGap: 26, nameTextStyle: { color: '#59636e' } };
}

/** Tooltip formatter params, as far as the dashboard reads them. */
export interface TooltipParam {
  dataIndex: number;
  value: unknown;
  data: unknown;
}

/** Category labels on a y axis: at most `max` pixels, and under half of a phone's width. */
export function labelWidth(max: number): number {
  return Math.round(Math.min(max, Math.max(110, window.innerWidth * 0.4)));
}
