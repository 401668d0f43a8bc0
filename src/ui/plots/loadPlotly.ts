/**
 * Plotly is by far the largest dependency, so it is loaded on first use and in two partial
 * bundles: 'basic' (scatter and bar, every 2-D plot; ≈ 0.4 MB gzipped) on first draw, and 'gl3d'
 * (scatter3d; ≈ 0.56 MB) only when a 3-D view is first shown. Each bundle is one shared promise.
 */
import type { Trace } from './figure';

type PlotlyModule = (typeof import('plotly.js-dist-min'))['default'];
export type PlotlyBundle = 'basic' | 'gl3d';

// One function per bundle: a single import() expression over both would make Vite preload both.
const importBasic = () => import('plotly.js-basic-dist-min').then((m) => m.default);
const importGl3d = () => import('plotly.js-gl3d-dist-min').then((m) => m.default);

const bundles: Partial<Record<PlotlyBundle, Promise<PlotlyModule>>> = {};

export function loadPlotly(bundle: PlotlyBundle = 'basic'): Promise<PlotlyModule> {
  bundles[bundle] ??= bundle === 'basic' ? importBasic() : importGl3d();
  return bundles[bundle];
}

/** The bundle that can draw `data`: gl3d as soon as one trace is 3-D. */
export function bundleFor(data: readonly Trace[]): PlotlyBundle {
  return data.some((t) => (t as { type?: string }).type === 'scatter3d') ? 'gl3d' : 'basic';
}
