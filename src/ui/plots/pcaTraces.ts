/**
 * x(t) in its first principal components, 3-D or 2-D: one line per trial coloured by condition,
 * markers at cue times, ablated trajectories (same basis) over faded intact ones. The layout keeps a
 * constant uirevision so the user's camera survives every data update.
 */
import type { EvalView } from '../../worker/protocol';
import type { PlotTheme } from '../palette';
import type { Figure, Trace } from './figure';
import { CUE_LABELS, GHOST_OPACITY, conditionStyle, legendPlan } from './conditionStyle';
import { pickTrials } from './evalData';
import { groupByCondition, joinSegments } from './lines';
import { cueNames } from './signalTraces';

export type PcaMode = '3d' | '2d';
const MAX_TRIALS = 80;

/** scatter3d knows fewer marker symbols than 2-D scatter. */
const CUE_SYMBOLS_3D = ['circle', 'square', 'diamond', 'cross', 'x', 'circle-open'] as const;

/** "PC1 41%, PC2 22%, PC3 9% (cum. 72%)" for the first three components. */
export function explainedVarianceText(explained: readonly number[]): string {
  const first = explained.slice(0, 3);
  if (first.length === 0) return '';
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const cum = first.reduce((a, b) => a + b, 0);
  return `${first.map((v, i) => `PC${i + 1} ${pct(v)}`).join(', ')} (cum. ${pct(cum)})`;
}

export function pcaFigure(
  view: EvalView,
  opts: { mode: PcaMode; theme: PlotTheme; maxTrials?: number },
): Figure {
  const pca = view.pca;
  const dims = opts.mode === '3d' ? 3 : 2;
  const family = view.family;
  const style = conditionStyle(family, view.meta, opts.theme);
  const legendOf = legendPlan(family, view.meta);
  const { T } = view;
  const explained = pca?.explained ?? [];
  const axisTitle = (i: number) =>
    explained[i] !== undefined ? `PC${i + 1} (${Math.round(100 * explained[i])}%)` : `PC${i + 1}`;
  const data: Trace[] = [];
  if (pca) {
    const trials = pickTrials(view.B, opts.maxTrials ?? MAX_TRIALS);
    const groups = groupByCondition(view.meta, trials);
    const layers = [{ p: pca.intact, ghost: Boolean(pca.ablated), tag: '' }];
    if (pca.ablated) layers.push({ p: pca.ablated, ghost: false, tag: ' (ablated)' });
    const at = (p: Float32Array, b: number, t: number, d: number) => p[(b * T + t) * 3 + d];
    for (const layer of layers) {
      for (const g of groups) {
        const line = joinSegments(g.trials, (b) => {
          const ts = Array.from({ length: T }, (_, t) => t);
          return {
            x: ts.map((t) => at(layer.p, b, t, 0)),
            y: ts.map((t) => at(layer.p, b, t, 1)),
            z: ts.map((t) => at(layer.p, b, t, 2)),
          };
        });
        const label = style.label(g.condition);
        const entry = legendOf(g.condition);
        const common = {
          mode: 'lines' as const,
          name: entry.name,
          legendgroup: entry.group,
          showlegend: !layer.ghost && entry.show,
          opacity: layer.ghost ? GHOST_OPACITY : 1,
          hovertemplate: `${label}${layer.tag}<extra></extra>`,
        };
        const color = style.color(g.condition);
        data.push(
          dims === 3
            ? {
                ...common,
                type: 'scatter3d',
                x: line.x,
                y: line.y,
                z: line.z,
                line: { color, width: layer.ghost ? 2 : 4 },
              }
            : {
                ...common,
                type: 'scatter',
                x: line.x,
                y: line.y,
                line: { color, width: layer.ghost ? 1 : 1.8 },
              },
        );
      }
      if (!layer.ghost) {
        cueNames(view).forEach((cue, ci) => {
          const pts = trials
            .map((b) => ({ b, t: view.meta[b].cues[cue] }))
            .filter((p): p is { b: number; t: number } => p.t !== undefined && p.t >= 0 && p.t < T);
          if (pts.length === 0) return;
          const colors = pts.map((p) => style.color(view.meta[p.b].condition));
          const name = CUE_LABELS[cue] ?? cue;
          const x = pts.map((p) => at(layer.p, p.b, p.t, 0));
          const y = pts.map((p) => at(layer.p, p.b, p.t, 1));
          data.push(
            dims === 3
              ? {
                  type: 'scatter3d',
                  mode: 'markers',
                  name,
                  legendgroup: `cue-${cue}`,
                  x,
                  y,
                  z: pts.map((p) => at(layer.p, p.b, p.t, 2)),
                  marker: {
                    symbol: CUE_SYMBOLS_3D[ci % CUE_SYMBOLS_3D.length],
                    size: 3.5,
                    color: colors,
                  },
                  hovertemplate: `${name}<extra></extra>`,
                }
              : {
                  type: 'scatter',
                  mode: 'markers',
                  name,
                  legendgroup: `cue-${cue}`,
                  x,
                  y,
                  marker: {
                    symbol: CUE_SYMBOLS_3D[ci % CUE_SYMBOLS_3D.length],
                    size: 7,
                    color: colors,
                    line: { width: 0.5, color: opts.theme.foreground },
                  },
                  hovertemplate: `${name}<extra></extra>`,
                },
          );
        });
      }
    }
  }
  const legend = {
    orientation: 'h' as const,
    x: 0,
    y: 0,
    yanchor: 'top' as const,
    font: { size: 12 },
  };
  if (dims === 3) {
    return {
      data,
      layout: {
        margin: { l: 0, r: 0, t: 0, b: 0 },
        scene: {
          // PC coordinates have no meaning of their own; tick labels only crowd a small scene.
          xaxis: { title: { text: axisTitle(0) }, showticklabels: false },
          yaxis: { title: { text: axisTitle(1) }, showticklabels: false },
          zaxis: { title: { text: axisTitle(2) }, showticklabels: false },
          aspectmode: 'cube',
          uirevision: 'pca-3d',
        },
        legend,
        uirevision: 'pca-3d',
      },
    };
  }
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 40, b: 36 },
      xaxis: { title: { text: axisTitle(0) }, zeroline: false },
      yaxis: { title: { text: axisTitle(1) }, zeroline: false },
      legend: { ...legend, y: 1, yanchor: 'bottom' },
      hovermode: 'closest',
      uirevision: 'pca-2d',
    },
  };
}
