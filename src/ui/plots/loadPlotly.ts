/**
 * Plotly is by far the largest dependency (≈3.5 MB), so it is loaded on first use rather than in
 * the entry chunk; every chart shares the one promise.
 */
type PlotlyModule = (typeof import('plotly.js-dist-min'))['default'];

let plotly: Promise<PlotlyModule> | undefined;

export function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import('plotly.js-dist-min').then((m) => m.default);
  return plotly;
}
