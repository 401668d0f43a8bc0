/**
 * Network output vs target for the evaluation trials, per task family: MWG ramps coloured by
 * interval, the selected cognitive trial's three output channels, EFT predictions vs truth. When an
 * ablation is active the ablated output is drawn over a faded intact ghost.
 */
import type { EvalView } from '../../worker/protocol';
import { categorical, type PlotTheme } from '../palette';
import type { Figure, Trace } from './figure';
import { GHOST_OPACITY, conditionStyle, legendPlan } from './conditionStyle';
import { channelSeries, pickTrials } from './evalData';
import { epochsOf, epochShapes } from './epochs';

/** Layers to draw, bottom first: the intact run (a ghost when an ablated run exists) and the ablated run. */
export function outputLayers(view: EvalView): {
  outputs: Float32Array;
  behaviour: EvalView['behaviour'];
  ghost: boolean;
  tag: string;
}[] {
  if (!view.ablated)
    return [{ outputs: view.outputs, behaviour: view.behaviour, ghost: false, tag: '' }];
  return [
    { outputs: view.outputs, behaviour: view.behaviour, ghost: true, tag: ' (intact)' },
    {
      outputs: view.ablated.outputs,
      behaviour: view.ablated.behaviour,
      ghost: false,
      tag: ' (ablated)',
    },
  ];
}

const steps = (T: number) => Array.from({ length: T }, (_, t) => t);

/** MWG: output and dashed target of every interval; `selected` highlights one trial. */
export function mwgOutputFigure(view: EvalView, theme: PlotTheme, selected?: number): Figure {
  const style = conditionStyle('mwg', view.meta, theme);
  const { T, O } = view;
  const x = steps(T);
  const legend = legendPlan('mwg', view.meta);
  const data: Trace[] = [];
  const order = view.meta
    .map((_, b) => b)
    .sort((a, b) => view.meta[a].condition - view.meta[b].condition);
  for (const b of order) {
    const m = view.meta[b];
    const color = style.color(m.condition);
    const dim = selected !== undefined && selected !== b;
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: channelSeries(view.targets, T, O, b, 0),
      name: `target ${m.label}`,
      legendgroup: legend(m.condition).group,
      showlegend: false,
      opacity: dim ? 0.2 : 0.7,
      line: { color, width: 1, dash: 'dash' },
      hoverinfo: 'skip',
    });
  }
  for (const layer of outputLayers(view)) {
    for (const b of order) {
      const m = view.meta[b];
      const entry = legend(m.condition);
      const dim = selected !== undefined && selected !== b;
      data.push({
        type: 'scatter',
        mode: 'lines',
        x,
        y: channelSeries(layer.outputs, T, O, b, 0),
        name: entry.name,
        legendgroup: entry.group,
        showlegend: !layer.ghost && entry.show,
        opacity: layer.ghost ? GHOST_OPACITY : dim ? 0.25 : 1,
        line: {
          color: style.color(m.condition),
          width: layer.ghost ? 1 : selected === b ? 3 : m.group === 'trained' ? 2 : 1.5,
        },
        hovertemplate: `${m.label}${layer.tag}<br>t %{x}<br>y %{y:.3f}<extra></extra>`,
      });
    }
  }
  data.push(cueMarkerTrace(view, 'go', theme));
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 24, b: 36 },
      xaxis: { title: { text: 'time step' }, range: [0, T - 1], zeroline: false },
      yaxis: { title: { text: 'output' }, range: [-0.8, 0.8], zeroline: false },
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
      hovermode: 'closest',
      uirevision: 'mwg-output',
    },
  };
}

/** Markers on the target at each trial's cue (e.g. go), coloured like the trial. */
function cueMarkerTrace(view: EvalView, cue: string, theme: PlotTheme): Trace {
  const style = conditionStyle(view.family, view.meta, theme);
  const x: number[] = [];
  const y: number[] = [];
  const colors: string[] = [];
  view.meta.forEach((m, b) => {
    const t = m.cues[cue];
    if (t === undefined || t >= view.T) return;
    x.push(t);
    y.push(view.targets[(b * view.T + t) * view.O]);
    colors.push(style.color(m.condition));
  });
  return {
    type: 'scatter',
    mode: 'markers',
    x,
    y,
    name: `${cue} cue`,
    marker: {
      symbol: 'triangle-up',
      size: 8,
      color: colors,
      line: { width: 1, color: theme.foreground },
    },
    hovertemplate: `${cue} cue at t %{x}<extra></extra>`,
  };
}

const CHANNEL_COLORS = [categorical(0), categorical(1), categorical(2)];

/** Cognitive tasks: the three output channels of trial b vs their targets, epochs shaded. */
export function cognitiveOutputFigure(
  view: EvalView,
  theme: PlotTheme,
  b: number,
  channelNames: readonly string[] = ['fixation', 'sin θ_out', 'cos θ_out'],
): Figure {
  const { T, O } = view;
  const trial = Math.min(Math.max(0, b), view.B - 1);
  const x = steps(T);
  const data: Trace[] = [];
  for (let c = 0; c < O; c++) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: channelSeries(view.targets, T, O, trial, c),
      name: `target ${channelNames[c] ?? c}`,
      legendgroup: `ch-${c}`,
      showlegend: false,
      line: { color: CHANNEL_COLORS[c % 3], width: 1.2, dash: 'dash' },
      hovertemplate: `target ${channelNames[c] ?? c} %{y:.2f}<extra></extra>`,
    });
  }
  for (const layer of outputLayers(view)) {
    for (let c = 0; c < O; c++) {
      const name = channelNames[c] ?? `output ${c}`;
      data.push({
        type: 'scatter',
        mode: 'lines',
        x,
        y: channelSeries(layer.outputs, T, O, trial, c),
        name,
        legendgroup: `ch-${c}`,
        showlegend: !layer.ghost,
        opacity: layer.ghost ? GHOST_OPACITY : 1,
        line: { color: CHANNEL_COLORS[c % 3], width: layer.ghost ? 1 : 2 },
        hovertemplate: `${name}${layer.tag}<br>t %{x}<br>%{y:.3f}<extra></extra>`,
      });
    }
  }
  const meta = view.meta[trial];
  return {
    data,
    layout: {
      margin: { l: 40, r: 8, t: 24, b: 36 },
      xaxis: { title: { text: 'time step' }, range: [0, T - 1], zeroline: false },
      yaxis: { title: { text: 'output' }, range: [-1.2, 1.2] },
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
      shapes: meta ? epochShapes(epochsOf('multitask', meta, T), theme) : [],
      hovermode: 'x unified',
      uirevision: 'cognitive-output',
    },
  };
}

/** Small deterministic horizontal jitter so integer targets do not hide each other. */
export const jitter = (i: number): number =>
  ((((i * 2654435761) >>> 0) % 1000) / 1000 - 0.5) * 0.35;

/** EFT: final-step prediction vs the true value, identity line, ablated over intact. */
export function eftOutputFigure(view: EvalView, theme: PlotTheme, maxPoints = 300): Figure {
  const { T, O } = view;
  const trials = pickTrials(view.B, maxPoints);
  const truth = trials.map((b) => view.targets[(b * T + T - 1) * O]);
  const lo = Math.min(-10, ...truth) - 1;
  const hi = Math.max(10, ...truth) + 1;
  const style = conditionStyle('eft', view.meta, theme);
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      x: [lo, hi],
      y: [lo, hi],
      name: 'perfect (y = x)',
      line: { color: theme.target, dash: 'dash', width: 1 },
      hoverinfo: 'skip',
    },
  ];
  for (const layer of outputLayers(view)) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: trials.map((b, i) => truth[i] + jitter(b)),
      y: trials.map((b) => layer.outputs[(b * T + T - 1) * O]),
      name: layer.ghost ? 'intact' : layer.tag ? 'ablated' : 'prediction',
      opacity: layer.ghost ? GHOST_OPACITY : 0.75,
      marker: {
        size: 5,
        color: layer.ghost ? theme.ghost : trials.map((b) => style.color(view.meta[b].condition)),
      },
      text: trials.map((b) => view.meta[b].label),
      hovertemplate: '%{text}<br>true %{x:.0f}<br>predicted %{y:.2f}<extra></extra>',
    });
  }
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 6, b: 36 },
      xaxis: { title: { text: 'true value v_q' }, range: [lo, hi], zeroline: false },
      yaxis: {
        title: { text: 'prediction (final step)' },
        range: [lo - 4, hi + 4],
        zeroline: false,
      },
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
      hovermode: 'closest',
      uirevision: 'eft-output',
    },
  };
}

/** The output figure for whichever family the view is. */
export function outputFigure(view: EvalView, theme: PlotTheme, selected?: number): Figure {
  switch (view.family) {
    case 'multitask':
      return cognitiveOutputFigure(view, theme, selected ?? 0);
    case 'eft':
      return eftOutputFigure(view, theme);
    default:
      return mwgOutputFigure(view, theme, selected);
  }
}
