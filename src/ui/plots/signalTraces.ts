/**
 * The s(t) figure: one stacked subplot per modulation component, trials coloured by condition,
 * cue markers on the traces, the ablated run drawn over a faded intact ghost, and the ablation
 * window shaded on the component it acts on.
 */
import type { EvalView } from '../../worker/protocol';
import type { Ablation } from '../../core/models/types';
import type { PlotTheme } from '../palette';
import { componentColor } from '../palette';
import type { Figure, FigureLayout, Trace } from './figure';
import { noteYDomain, shapeYDomain, yAxisKey, yRef } from './figure';
import { alignedSteps, alignOffset, resolveAlignment, type Alignment } from './alignment';
import {
  CUE_LABELS,
  CUE_SYMBOLS,
  GHOST_OPACITY,
  conditionStyle,
  legendPlan,
  withAlpha,
} from './conditionStyle';
import { limitConditions, pickTrials } from './evalData';
import { windowSpan } from '../../core/models/ablation';
import { groupByCondition, joinSegments } from './lines';

/** Beyond this the subplots become too thin to read; the panel says which ones are shown. */
export const MAX_COMPONENTS = 12;
const MAX_TRIALS = 120;
/** Conditions drawn at most (MWG has 12; EFT's 25 query positions are thinned to these). */
const MAX_CONDITIONS = 12;
const ROW_GAP = 0.06;

export interface SignalFigureOptions {
  alignment: Alignment;
  ablation?: Ablation;
  theme: PlotTheme;
  maxTrials?: number;
}

/** Cue names of the view's trials, in first-seen order. */
export function cueNames(view: Pick<EvalView, 'meta'>): string[] {
  const names: string[] = [];
  for (const m of view.meta)
    for (const c of Object.keys(m.cues)) if (!names.includes(c)) names.push(c);
  return names;
}

/** Domains of K stacked rows, top row first. */
export function rowDomains(K: number, gap = ROW_GAP): [number, number][] {
  const h = (1 - gap * (K - 1)) / K;
  return Array.from({ length: K }, (_, k) => {
    const top = 1 - k * (h + gap);
    return [Math.max(0, top - h), Math.min(1, top)];
  });
}

export function signalFigure(view: EvalView, opts: SignalFigureOptions): Figure {
  const family = view.family;
  const option = resolveAlignment(family, opts.alignment);
  const style = conditionStyle(family, view.meta, opts.theme);
  const legend = legendPlan(family, view.meta);
  const K = Math.min(view.K, MAX_COMPONENTS);
  const { T } = view;
  const trials = limitConditions(
    view.meta,
    pickTrials(view.B, opts.maxTrials ?? MAX_TRIALS),
    MAX_CONDITIONS,
  );
  const groups = groupByCondition(view.meta, trials);
  const layers: { s: Float32Array; ghost: boolean; tag: string }[] = [];
  if (view.s) layers.push({ s: view.s, ghost: Boolean(view.ablated?.s), tag: 'intact' });
  if (view.ablated?.s) layers.push({ s: view.ablated.s, ghost: false, tag: 'ablated' });
  const sAt = (s: Float32Array, b: number, t: number, k: number) => s[(b * T + t) * view.K + k];

  const data: Trace[] = [];
  let yMax = 1;
  for (let k = 0; k < K; k++) {
    for (const layer of layers) {
      for (const g of groups) {
        const line = joinSegments(g.trials, (b) => {
          const { t, x } = alignedSteps(view.meta[b], T, option);
          return { x, y: t.map((tt) => sAt(layer.s, b, tt, k)) };
        });
        for (const v of line.y) if (v !== null && v > yMax) yMax = v;
        const label = style.label(g.condition);
        const entry = legend(g.condition);
        data.push({
          type: 'scatter',
          mode: 'lines',
          x: line.x,
          y: line.y,
          yaxis: yRef(k),
          name: entry.name,
          legendgroup: entry.group,
          showlegend: k === 0 && !layer.ghost && entry.show,
          opacity: layer.ghost ? GHOST_OPACITY : 1,
          line: { color: style.color(g.condition), width: layer.ghost ? 1 : 1.5 },
          hovertemplate: `${label}${layer.ghost ? ' intact' : ''}<br>t %{x}<br>s${k + 1} %{y:.3f}<extra></extra>`,
        });
      }
    }
    const top = layers.at(-1);
    if (top) data.push(...cueMarkers(view, k, top.s, trials, option, style.color));
  }

  const domains = rowDomains(Math.max(K, 1));
  const layout: FigureLayout = {
    margin: { l: 44, r: 10, t: 40, b: 36 },
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
    hovermode: 'closest',
    xaxis: {
      title: { text: option.axisTitle },
      anchor: yRef(Math.max(K, 1) - 1),
      zeroline: false,
      range: xRange(view, option, trials),
    },
    shapes: [],
    annotations: [],
    uirevision: `signal-${option.value}`,
  };
  const yTop = Math.ceil(yMax * 10) / 10;
  for (let k = 0; k < Math.max(K, 1); k++) {
    layout[yAxisKey(k)] = {
      domain: domains[k],
      range: [0, yTop],
      title: { text: `s${k + 1}`, font: { color: componentColor(k) } },
      anchor: 'x',
      tickvals: yTop <= 1.2 ? [0, 0.5, 1] : [0, 1, 2],
      zeroline: false,
    };
  }
  if (option.cue) {
    layout.shapes!.push({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: 0,
      x1: 0,
      y0: 0,
      y1: 1,
      line: { color: opts.theme.target, width: 1, dash: 'dot' },
    });
  }
  for (const shade of windowShading(view, opts.ablation, option, trials, K)) {
    layout.shapes!.push({
      type: 'rect',
      xref: 'x',
      yref: shapeYDomain(shade.k),
      x0: shade.x0,
      x1: shade.x1,
      y0: 0,
      y1: 1,
      fillcolor: withAlpha(componentColor(shade.k), shade.varies ? 0.1 : 0.18),
      line: { width: 0 },
      layer: 'below',
    });
    layout.annotations!.push({
      xref: 'x',
      yref: noteYDomain(shade.k),
      x: shade.x0,
      y: 1,
      xanchor: 'left',
      yanchor: 'top',
      showarrow: false,
      text: shade.varies ? 'ablation window (varies by trial)' : 'ablation window',
      font: { size: 12, color: opts.theme.foreground },
    });
  }
  return { data, layout };
}

/** The aligned time span of the drawn trials (the window when the alignment has one). */
export function xRange(
  view: Pick<EvalView, 'meta' | 'T'>,
  option: ReturnType<typeof resolveAlignment>,
  trials: readonly number[],
): [number, number] {
  if (option.window) return option.window;
  const offsets = trials.map((b) => alignOffset(view.meta[b], option));
  if (offsets.length === 0) return [0, view.T - 1];
  return [-Math.max(...offsets), view.T - 1 - Math.min(...offsets)];
}

function cueMarkers(
  view: EvalView,
  k: number,
  s: Float32Array,
  trials: readonly number[],
  option: ReturnType<typeof resolveAlignment>,
  color: (c: number) => string,
): Trace[] {
  const { T } = view;
  const out: Trace[] = [];
  for (const cue of cueNames(view)) {
    const x: number[] = [];
    const y: number[] = [];
    const colors: string[] = [];
    for (const b of trials) {
      const m = view.meta[b];
      const t = m.cues[cue];
      if (t === undefined || t < 0 || t >= T) continue;
      const offset = alignOffset(m, option);
      const xt = t - offset;
      if (option.window && (xt < option.window[0] || xt > option.window[1])) continue;
      x.push(xt);
      y.push(s[(b * T + t) * view.K + k]);
      colors.push(color(m.condition));
    }
    if (x.length === 0) continue;
    out.push({
      type: 'scatter',
      mode: 'markers',
      x,
      y,
      yaxis: yRef(k),
      name: CUE_LABELS[cue] ?? cue,
      legendgroup: `cue-${cue}`,
      showlegend: k === 0,
      marker: {
        symbol: CUE_SYMBOLS[cue] ?? 'circle',
        size: 6,
        color: colors,
        line: { width: 0.5, color: 'rgba(127,127,127,0.9)' },
      },
      hovertemplate: `${CUE_LABELS[cue] ?? cue}<br>t %{x}<br>s${k + 1} %{y:.3f}<extra></extra>`,
    });
  }
  return out;
}

export interface WindowShade {
  k: number;
  x0: number;
  x1: number;
  /** True when the window sits at different aligned times in different trials. */
  varies: boolean;
}

/**
 * Shaded spans of the components whose ablation has a time window, in aligned time. A window
 * counted from the cue the plot is aligned to sits still; otherwise it moves from trial to trial
 * and the shade covers every trial's span.
 */
export function windowShading(
  view: Pick<EvalView, 'meta' | 'T'>,
  ablation: Ablation | undefined,
  option: ReturnType<typeof resolveAlignment>,
  trials: readonly number[],
  K: number,
): WindowShade[] {
  const out: WindowShade[] = [];
  ablation?.slice(0, K).forEach((a, k) => {
    if (a.mode === 'off' || !a.window) return;
    const starts = new Set<number>();
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const b of trials) {
      const [t0, t1] = windowSpan(a, view.T, view.meta[b].cues);
      if (t1 <= t0) continue;
      const offset = alignOffset(view.meta[b], option);
      starts.add(t0 - offset);
      x0 = Math.min(x0, t0 - offset);
      x1 = Math.max(x1, t1 - offset);
    }
    if (starts.size === 0) return;
    out.push({ k, x0, x1, varies: starts.size > 1 });
  });
  return out;
}

/** One sentence per component: range of s over the shown window, intact and (if any) ablated. */
export function signalSummary(view: EvalView, alignment: Alignment): string {
  if (!view.s || view.K === 0) return 'This model has no modulation signal s(t).';
  const family = view.family;
  const option = resolveAlignment(family, alignment);
  const parts: string[] = [];
  const range = (s: Float32Array, k: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let b = 0; b < view.B; b++) {
      for (const t of alignedSteps(view.meta[b], view.T, option).t) {
        const v = s[(b * view.T + t) * view.K + k];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return `${lo.toFixed(2)}–${hi.toFixed(2)}`;
  };
  for (let k = 0; k < Math.min(view.K, MAX_COMPONENTS); k++) {
    const ab = view.ablated?.s ? `, ablated ${range(view.ablated.s, k)}` : '';
    parts.push(`s${k + 1} ranges ${range(view.s, k)}${ab}`);
  }
  return `s(t) of ${view.B} trials aligned to ${option.label.toLowerCase()}: ${parts.join('; ')}.`;
}
