/**
 * Behavioural readouts beside the outputs: MWG produced vs target interval (identity line, trained
 * range shaded), cognitive decoded angle vs target and percent correct per task, EFT error by query
 * position against chance. Ablated results are drawn over faded intact ones.
 */
import type { EvalView } from '../../worker/protocol';
import { COGNITIVE_TASKS } from '../../core/tasks/types';
import { decodeAngle } from '../../core/tasks';
import { categorical, type PlotTheme } from '../palette';
import type { Figure, Trace } from './figure';
import { GHOST_OPACITY, TASK_LABELS, conditionStyle } from './conditionStyle';
import { pickTrials } from './evalData';
import { outputLayers } from './outputTraces';

const deg = (rad: number) => (rad * 180) / Math.PI;

/** MWG: produced vs target interval. Trials that never reach 90% of the ramp are counted, not drawn. */
export function mwgProducedFigure(view: EvalView, theme: PlotTheme): Figure {
  const style = conditionStyle('mwg', view.meta, theme);
  const data: Trace[] = [];
  const intervalOf = (b: number) => view.meta[b].values.interval ?? view.meta[b].condition;
  // Sorted so the connecting line runs from the shortest interval to the longest.
  const order = view.meta.map((_, b) => b).sort((a, b) => intervalOf(a) - intervalOf(b));
  const intervals = order.map(intervalOf);
  const lo = Math.min(...intervals);
  const hi = Math.max(...intervals);
  const trained = view.meta.filter((m) => m.group === 'trained').map((m) => m.values.interval);
  // The axis grows to every produced interval: an ablation that stretches the ramp past the usual
  // range must show, not fall silently off the top.
  let maxProduced = 0;
  for (const layer of outputLayers(view)) {
    const b = layer.behaviour;
    if (b?.family !== 'mwg') continue;
    for (const p of b.metrics.produced)
      if (Number.isFinite(p)) maxProduced = Math.max(maxProduced, p);
  }
  const top = Math.max(hi * 1.6, maxProduced * 1.08);
  data.push({
    type: 'scatter',
    mode: 'lines',
    x: [0, top],
    y: [0, top],
    name: 'perfect (produced = target)',
    line: { color: theme.target, dash: 'dash', width: 1 },
    hoverinfo: 'skip',
  });
  let missed = 0;
  for (const layer of outputLayers(view)) {
    const b = layer.behaviour;
    if (b?.family !== 'mwg') continue;
    const { produced } = b.metrics;
    if (!layer.ghost) missed = produced.filter((p) => !Number.isFinite(p)).length;
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      x: intervals,
      y: order.map((i) => (Number.isFinite(produced[i]) ? produced[i] : null)),
      name: layer.ghost ? 'intact' : layer.tag ? 'ablated' : 'produced',
      opacity: layer.ghost ? GHOST_OPACITY + 0.15 : 1,
      line: { color: layer.ghost ? theme.ghost : theme.foreground, width: 1 },
      marker: {
        size: layer.ghost ? 6 : 8,
        color: layer.ghost ? theme.ghost : order.map((i) => style.color(view.meta[i].condition)),
        line: { width: 0.5, color: theme.foreground },
      },
      hovertemplate: 'target %{x}<br>produced %{y:.1f}<extra></extra>',
    });
  }
  const shapes: Figure['layout']['shapes'] = trained.length
    ? [
        {
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0: Math.min(...trained) - 1,
          x1: Math.max(...trained) + 1,
          y0: 0,
          y1: 1,
          fillcolor: theme.grid,
          opacity: 0.5,
          line: { width: 0 },
          layer: 'below',
        },
      ]
    : [];
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 6, b: 36 },
      xaxis: { title: { text: 'target interval I' }, range: [lo - 2, hi + 2], zeroline: false },
      yaxis: { title: { text: 'produced interval' }, range: [0, top], zeroline: false },
      shapes,
      annotations: [
        ...(trained.length
          ? [
              {
                xref: 'x' as const,
                yref: 'paper' as const,
                x: (Math.min(...trained) + Math.max(...trained)) / 2,
                y: 1,
                yanchor: 'top' as const,
                showarrow: false,
                text: 'trained',
                font: { size: 12, color: theme.foreground },
              },
            ]
          : []),
        ...(missed > 0
          ? [
              {
                xref: 'paper' as const,
                yref: 'paper' as const,
                x: 1,
                y: 0,
                xanchor: 'right' as const,
                yanchor: 'bottom' as const,
                showarrow: false,
                text: `${missed} of ${view.B} never reach 90% of the ramp`,
                font: { size: 12, color: theme.foreground },
              },
            ]
          : []),
      ],
      showlegend: Boolean(view.ablated),
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
      hovermode: 'closest',
      uirevision: 'mwg-produced',
    },
  };
}

/** Cognitive: decoded final angle vs target (left) and percent correct per task (right). */
export function cognitiveBehaviourFigure(view: EvalView, theme: PlotTheme): Figure {
  const { T, O } = view;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      x: [0, 360],
      y: [0, 360],
      name: 'correct (decoded = target)',
      line: { color: theme.target, dash: 'dash', width: 1 },
      hoverinfo: 'skip',
      showlegend: false,
    },
  ];
  const trials = pickTrials(view.B, 200);
  const layers = outputLayers(view);
  for (const layer of layers) {
    const scores = layer.behaviour;
    if (scores?.family !== 'multitask') continue;
    for (const taskIndex of [...new Set(trials.map((b) => view.meta[b].values.task))]) {
      const mine = trials.filter((b) => view.meta[b].values.task === taskIndex);
      const last = (b: number) => (b * T + T - 1) * O;
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: mine.map((b) => deg(view.meta[b].values.thetaOut)),
        y: mine.map((b) =>
          deg(decodeAngle(layer.outputs[last(b) + 1], layer.outputs[last(b) + 2])),
        ),
        name: `${TASK_LABELS[COGNITIVE_TASKS[taskIndex]]}${layer.tag}`,
        legendgroup: `task-${taskIndex}`,
        showlegend: false,
        opacity: layer.ghost ? GHOST_OPACITY : 0.9,
        marker: {
          size: 6,
          color: categorical(taskIndex),
          symbol: mine.map((b) => (scores.metrics.trials[b]?.correct ? 'circle' : 'circle-open')),
        },
        text: mine.map((b) => view.meta[b].label),
        hovertemplate: '%{text}<br>target %{x:.0f}°<br>decoded %{y:.0f}°<extra></extra>',
      });
    }
  }
  layers.forEach((layer) => {
    const scores = layer.behaviour;
    if (scores?.family !== 'multitask') return;
    const tasks = COGNITIVE_TASKS.filter((t) => scores.metrics.perTask[t] !== undefined);
    data.push({
      type: 'bar',
      x: tasks.map((t) => TASK_LABELS[t]),
      y: tasks.map((t) => scores.metrics.perTask[t]?.percent ?? 0),
      xaxis: 'x2',
      yaxis: 'y2',
      name: layer.ghost ? 'intact' : layer.tag ? 'ablated' : '% correct',
      showlegend: Boolean(view.ablated),
      marker: {
        color: layer.ghost
          ? theme.ghost
          : tasks.map((t) => categorical(COGNITIVE_TASKS.indexOf(t))),
      },
      hovertemplate: '%{x}: %{y:.0f}% correct<extra></extra>',
    });
  });
  return {
    data,
    layout: {
      margin: { l: 40, r: 8, t: 6, b: 52 },
      xaxis: {
        domain: [0, 0.5],
        title: { text: 'target angle (°)' },
        range: [0, 360],
        dtick: 90,
        zeroline: false,
      },
      yaxis: { title: { text: 'decoded (°)' }, range: [0, 360], dtick: 90, zeroline: false },
      xaxis2: { domain: [0.62, 1], anchor: 'y2', tickangle: -30 },
      yaxis2: { anchor: 'x2', range: [0, 100], title: { text: '% correct' } },
      barmode: 'group',
      legend: { orientation: 'h', x: 0.62, y: 1, yanchor: 'bottom', font: { size: 12 } },
      hovermode: 'closest',
      uirevision: 'cognitive-behaviour',
    },
  };
}

/** EFT: final-step MSE by query position, with the chance level. */
export function eftBehaviourFigure(view: EvalView, theme: PlotTheme): Figure {
  const data: Trace[] = [];
  let chance = Number.NaN;
  let L = 0;
  for (const layer of outputLayers(view)) {
    const b = layer.behaviour;
    if (b?.family !== 'eft') continue;
    chance = b.metrics.chanceMse;
    L = b.metrics.mseByQuery.length;
    data.push({
      type: 'bar',
      x: b.metrics.mseByQuery.map((_, q) => q),
      y: b.metrics.mseByQuery.map((v) => (Number.isFinite(v) ? v : null)),
      name: layer.ghost ? 'intact' : layer.tag ? 'ablated' : 'MSE',
      opacity: layer.ghost ? 0.5 : 0.9,
      marker: { color: layer.ghost ? theme.ghost : categorical(0) },
      hovertemplate: 'q %{x}: MSE %{y:.2f}<extra></extra>',
    });
  }
  if (Number.isFinite(chance)) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [-0.5, L - 0.5],
      y: [chance, chance],
      name: `chance (${chance.toFixed(1)})`,
      line: { color: theme.target, dash: 'dash', width: 1 },
      hoverinfo: 'skip',
    });
  }
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 6, b: 36 },
      xaxis: { title: { text: 'query position q' }, zeroline: false },
      yaxis: { title: { text: 'final-step MSE' }, rangemode: 'tozero' },
      barmode: 'overlay',
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', font: { size: 12 } },
      hovermode: 'closest',
      uirevision: 'eft-behaviour',
    },
  };
}

export function behaviourFigure(view: EvalView, theme: PlotTheme): Figure {
  switch (view.family) {
    case 'multitask':
      return cognitiveBehaviourFigure(view, theme);
    case 'eft':
      return eftBehaviourFigure(view, theme);
    default:
      return mwgProducedFigure(view, theme);
  }
}

/** The behavioural readout in words, for the text alternative. */
export function behaviourSummary(view: EvalView): string {
  const parts: string[] = [];
  for (const layer of outputLayers(view)) {
    const b = layer.behaviour;
    const who = layer.ghost ? 'Intact' : layer.tag ? 'Ablated' : 'Model';
    if (b?.family === 'mwg') {
      const pairs = b.metrics.intervals.map(
        (I, i) =>
          `${I}→${Number.isFinite(b.metrics.produced[i]) ? b.metrics.produced[i].toFixed(1) : 'none'}`,
      );
      parts.push(`${who} produced intervals (target→produced): ${pairs.join(', ')}.`);
    } else if (b?.family === 'multitask') {
      const tasks = COGNITIVE_TASKS.filter((t) => b.metrics.perTask[t] !== undefined).map(
        (t) => `${TASK_LABELS[t]} ${b.metrics.perTask[t]?.percent.toFixed(0)}%`,
      );
      parts.push(`${who} percent correct: ${tasks.join(', ')}.`);
    } else if (b?.family === 'eft') {
      parts.push(
        `${who} final-step MSE ${b.metrics.mse.toFixed(2)} (chance ${b.metrics.chanceMse.toFixed(1)}), ${(
          100 * b.metrics.accuracy
        ).toFixed(0)}% within 0.5.`,
      );
    }
  }
  return parts.join(' ') || 'No evaluation yet.';
}
