/**
 * An example trial of the configured task, drawn from the task generators themselves: inputs on
 * top, targets below, epochs shaded and labelled. What a user sees here is exactly what the
 * network is trained on.
 */
import type { TaskConfig } from '../../core/config/schema';
import { Rng } from '../../core/random';
import {
  cognitiveTrial,
  describeTask,
  eftTrial,
  mwgTrial,
  resolveEftOptions,
} from '../../core/tasks';
import type { SingleTrial, TaskDescription } from '../../core/tasks';
import type { CognitiveTask } from '../../core/tasks/types';
import { categorical, type PlotTheme } from '../palette';
import type { Figure, Trace } from './figure';
import { epochLabels, epochShapes, epochsOf } from './epochs';

export interface ExampleTrial {
  trial: SingleTrial;
  description: TaskDescription;
}

const EXAMPLE_SEED = 7;
const MWG_EXAMPLE_MEASURE = 15;

/** A representative interval: the middle of the trained ones. */
export function exampleInterval(trainIntervals: readonly number[]): number {
  const sorted = [...trainIntervals].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 14;
}

/** One trial of the configured task, or an error message when the settings do not fit a trial. */
export function exampleTrial(
  task: TaskConfig,
  cognitive?: CognitiveTask,
): ExampleTrial | { error: string } {
  try {
    switch (task.family) {
      case 'mwg': {
        const opts = { delay: task.mwg.delay, trainIntervals: task.mwg.trainIntervals };
        const I = exampleInterval(task.mwg.trainIntervals);
        return {
          trial: mwgTrial(I, MWG_EXAMPLE_MEASURE, opts),
          description: describeTask('mwg', { mwg: opts }),
        };
      }
      case 'multitask': {
        const which = cognitive ?? task.multitask.tasks[0] ?? 'delayPro';
        const rng = new Rng(EXAMPLE_SEED).stream(`example-${which}`);
        return { trial: cognitiveTrial(which, rng), description: describeTask('multitask') };
      }
      case 'eft': {
        const o = resolveEftOptions({ length: task.eft.length });
        const rng = new Rng(EXAMPLE_SEED).stream('example-eft');
        const q = rng.int(0, o.length - 1);
        const values = Array.from({ length: o.length }, () => rng.int(o.vMin, o.vMax));
        return { trial: eftTrial(q, values, o), description: describeTask('eft', { eft: o }) };
      }
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function taskFigure(example: ExampleTrial, theme: PlotTheme): Figure {
  const { trial, description } = example;
  const { T, U, O } = trial;
  const x = Array.from({ length: T }, (_, t) => t);
  const family = description.family;
  const data: Trace[] = [];
  for (let c = 0; c < U; c++) {
    const y = x.map((t) => trial.inputs[t * U + c]);
    // Context one-hots of tasks other than this trial's are all zero: leave them out.
    if (c >= description.Ux && y.every((v) => v === 0)) continue;
    data.push({
      type: 'scatter',
      mode: family === 'eft' ? 'lines+markers' : 'lines',
      x,
      y,
      name: description.inputNames[c] ?? String(c),
      line: { color: categorical(c), width: 1.5, shape: family === 'eft' ? 'hvh' : 'linear' },
      marker: { size: 4 },
      hovertemplate: `${description.inputNames[c] ?? c} %{y:.2f}<extra></extra>`,
    });
  }
  for (let c = 0; c < O; c++) {
    const name = description.outputNames[c] ?? String(c);
    if (family === 'eft') {
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: [T - 1],
        y: [trial.targets[(T - 1) * O + c]],
        yaxis: 'y2',
        name: 'target v_q (read at the end)',
        marker: { symbol: 'star', size: 11, color: theme.foreground },
        hovertemplate: 'target %{y}<extra></extra>',
      });
      continue;
    }
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: x.map((t) => trial.targets[t * O + c]),
      yaxis: 'y2',
      name: `target ${name}`,
      line: { color: categorical(c + 4), width: 2, dash: 'dash' },
      hovertemplate: `target ${name} %{y:.2f}<extra></extra>`,
    });
  }
  const epochs = epochsOf(family, trial.meta, T);
  return {
    data,
    layout: {
      margin: { l: 44, r: 8, t: 18, b: 72 },
      xaxis: {
        title: { text: 'time step' },
        range: [-0.5, T - 0.5],
        zeroline: false,
        anchor: 'y2',
      },
      yaxis: { domain: [0.55, 1], title: { text: 'input' }, zeroline: false },
      yaxis2: { domain: [0, 0.45], title: { text: 'target' }, zeroline: false },
      shapes: epochShapes(epochs, theme),
      annotations: epochLabels(epochs, theme),
      legend: { orientation: 'h', x: 0, y: -0.42, yanchor: 'top', font: { size: 12 } },
      hovermode: 'x unified',
      uirevision: `task-${family}`,
    },
  };
}

/** The trial in words, for the text alternative. */
export function taskSummary(example: ExampleTrial): string {
  const { trial, description } = example;
  const cues = Object.entries(trial.meta.cues)
    .map(([k, v]) => `${k} at step ${v}`)
    .join(', ');
  return `Example trial ${trial.meta.label}: ${description.T} steps, inputs ${description.inputNames.join(
    ', ',
  )}; outputs ${description.outputNames.join(', ')}; ${cues}.`;
}
