/** Trial epochs (measure, wait, ramp; fixation, stimulus, memory, response; …) for shading plots. */
import type { Annotation, Shape } from 'plotly.js-dist-min';
import type { TaskFamily, TrialMeta } from '../../core/tasks/types';
import type { PlotTheme } from '../palette';
import { categorical } from '../palette';
import { withAlpha } from './conditionStyle';

export interface Epoch {
  name: string;
  /** [t0, t1) in steps. */
  t0: number;
  t1: number;
}

export function epochsOf(family: TaskFamily | undefined, meta: TrialMeta, T: number): Epoch[] {
  const c = meta.cues;
  const clip = (e: Epoch): Epoch => ({ ...e, t0: Math.max(0, e.t0), t1: Math.min(T, e.t1) });
  const out: Epoch[] = [];
  if (family === 'mwg' && c.measure !== undefined && c.set !== undefined && c.go !== undefined) {
    const I = meta.values.interval ?? c.set - c.measure;
    out.push({ name: 'measure', t0: c.measure, t1: c.set });
    out.push({ name: 'wait', t0: c.set, t1: c.go });
    out.push({ name: 'ramp', t0: c.go, t1: c.go + I });
  } else if (family === 'multitask' && c.stimOn !== undefined && c.fixOff !== undefined) {
    out.push({ name: 'fixation', t0: 0, t1: c.stimOn });
    if (c.stimOff !== undefined) {
      out.push({ name: 'stimulus', t0: c.stimOn, t1: c.stimOff });
      out.push({ name: 'memory', t0: c.stimOff, t1: c.fixOff });
    } else out.push({ name: 'stimulus', t0: c.stimOn, t1: c.fixOff });
    out.push({ name: 'response', t0: c.fixOff, t1: c.end ?? T });
  } else if (family === 'eft' && c.element !== undefined) {
    out.push({ name: 'query', t0: 0, t1: 1 });
    out.push({ name: 'v_q', t0: c.element, t1: c.element + 1 });
    out.push({ name: 'readout', t0: T - 1, t1: T });
  }
  return out.map(clip).filter((e) => e.t1 > e.t0);
}

/** Shading for each epoch across the whole plot height, under the data. */
export function epochShapes(epochs: readonly Epoch[], _theme: PlotTheme): Shape[] {
  return epochs.map((e, i) => ({
    type: 'rect',
    xref: 'x',
    yref: 'paper',
    // Half-step margins so a one-step epoch (a cue pulse) is visible as a band around its step.
    x0: e.t0 - 0.5,
    x1: e.t1 - 0.5,
    y0: 0,
    y1: 1,
    fillcolor: withAlpha(categorical(i + 4), 0.1),
    line: { width: 0 },
    layer: 'below',
  }));
}

/** Epoch names written at the top of each band. */
export function epochLabels(epochs: readonly Epoch[], theme: PlotTheme): Annotation[] {
  let lastX = -Infinity;
  let raised = false;
  return epochs.map((e) => {
    const x = (e.t0 + e.t1 - 1) / 2;
    // Labels of neighbouring one-step epochs (EFT's v_q next to the readout) would overprint.
    raised = x - lastX < 4 ? !raised : false;
    lastX = x;
    return {
      xref: 'x',
      yref: 'paper',
      x,
      y: 1,
      yanchor: 'bottom',
      yshift: raised ? 9 : 0,
      showarrow: false,
      text: e.name,
      font: { size: 12, color: theme.foreground },
    };
  });
}
