import { describe, expect, it } from 'vitest';
import { LIGHT_THEME, DARK_THEME } from '../../src/ui/palette';
import { mwgOutputFigure, outputFigure, eftOutputFigure } from '../../src/ui/plots/outputTraces';
import {
  behaviourFigure,
  behaviourSummary,
  mwgProducedFigure,
} from '../../src/ui/plots/behaviourTraces';
import { signalFigure, rowDomains, windowShading, xRange } from '../../src/ui/plots/signalTraces';
import {
  alignedSteps,
  alignmentOptions,
  resolveAlignment,
  MWG_GO_WINDOW,
} from '../../src/ui/plots/alignment';
import { explainedVarianceText, pcaFigure } from '../../src/ui/plots/pcaTraces';
import { themedLayout } from '../../src/ui/plots/theme';
import { pickTrials, channelSeries } from '../../src/ui/plots/evalData';
import { legendPlan } from '../../src/ui/plots/conditionStyle';
import { epochsOf } from '../../src/ui/plots/epochs';
import { exampleTrial, taskFigure, exampleInterval } from '../../src/ui/plots/taskTraces';
import { DEFAULT_EXPERIMENT } from '../../src/core/config/schema';
import { cognitiveView, eftView, mwgView } from './panels-fixtures';

/** Plotly's Data is a union over trace types; the tests read a few common fields. */
interface Loose {
  type?: string;
  name?: string;
  x?: unknown[];
  y?: unknown[];
  z?: unknown[];
  xaxis?: string;
  yaxis?: string;
  opacity?: number;
  showlegend?: boolean;
  legendgroup?: string;
  mode?: string;
  line?: { color?: string; dash?: string; width?: number };
  marker?: { symbol?: unknown; color?: unknown };
}
const loose = (d: unknown) => d as Loose;

describe('evaluation data helpers', () => {
  it('reads the family the worker sends with the view', () => {
    expect(mwgView().family).toBe('mwg');
    expect(cognitiveView().family).toBe('multitask');
    expect(eftView().family).toBe('eft');
  });
  it('reads one channel of one trial and subsamples trials evenly', () => {
    const v = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i);
    expect(channelSeries(v, 3, 2, 1, 1)).toEqual([7, 9, 11]);
    expect(pickTrials(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const p = pickTrials(500, 50);
    expect(p).toHaveLength(50);
    expect(p[0]).toBe(0);
    expect(p.at(-1)).toBe(499);
  });
});

describe('MWG output figure', () => {
  it('colours short, trained and long intervals distinctly, targets dashed', () => {
    const view = mwgView();
    const fig = mwgOutputFigure(view, LIGHT_THEME);
    const outputs = fig.data
      .map(loose)
      .filter((d) => d.mode === 'lines' && d.line?.dash !== 'dash');
    const targets = fig.data.map(loose).filter((d) => d.line?.dash === 'dash');
    expect(outputs).toHaveLength(12);
    expect(targets).toHaveLength(12);
    const colorsBy = (group: string) =>
      new Set(outputs.filter((d) => d.legendgroup === `group-${group}`).map((d) => d.line?.color));
    const short = colorsBy('short');
    const trained = colorsBy('trained');
    const long = colorsBy('long');
    expect(short.size).toBe(4);
    expect(trained.size).toBe(4);
    expect(long.size).toBe(4);
    for (const c of trained) {
      expect(short.has(c)).toBe(false);
      expect(long.has(c)).toBe(false);
    }
    // One legend entry per group, named with its interval range.
    const legendNames = outputs.filter((d) => d.showlegend).map((d) => d.name);
    expect(legendNames).toEqual(['shorter (I=4–10)', 'trained (I=12–18)', 'longer (I=20–26)']);
  });

  it('draws the ablated output over a faded intact ghost', () => {
    const view = mwgView({ ablated: true });
    const fig = mwgOutputFigure(view, LIGHT_THEME);
    const lines = fig.data.map(loose).filter((d) => d.mode === 'lines' && d.line?.dash !== 'dash');
    expect(lines).toHaveLength(24);
    const ghosts = lines.slice(0, 12);
    const ablated = lines.slice(12);
    for (const g of ghosts) {
      expect(g.opacity).toBeLessThan(0.5);
      expect(g.showlegend).toBe(false);
    }
    for (const a of ablated) expect(a.opacity).toBe(1);
    // The ablated layer comes later in the list, so Plotly draws it on top.
    const firstAblated = fig.data.indexOf(ablated[0] as never);
    const lastGhost = fig.data.indexOf(ghosts.at(-1) as never);
    expect(firstAblated).toBeGreaterThan(lastGhost);
    expect(ablated[0].y?.[40]).toBeCloseTo(view.ablated!.outputs[40], 5);
  });

  it('highlights a selected trial and fades the rest', () => {
    const fig = mwgOutputFigure(mwgView(), LIGHT_THEME, 3);
    const lines = fig.data.map(loose).filter((d) => d.mode === 'lines' && d.line?.dash !== 'dash');
    expect(lines[3].line?.width).toBe(3);
    expect(lines[0].opacity).toBeLessThan(0.5);
  });
});

describe('behavioural readouts', () => {
  it('MWG: produced vs target with identity line and trained range shaded', () => {
    const view = mwgView();
    const fig = mwgProducedFigure(view, LIGHT_THEME);
    const identity = loose(fig.data[0]);
    expect(identity.x).toEqual(identity.y);
    const pts = loose(fig.data[1]);
    expect(pts.x).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]);
    // The fixture output is the target plus a tiny wiggle, so produced ≈ target.
    (pts.y as number[]).forEach((p, i) => expect(p).toBeCloseTo((pts.x as number[])[i], 0));
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 11, x1: 19 });
    expect(behaviourSummary(view)).toMatch(
      /^Model produced intervals \(target→produced\): 4→4\.\d/,
    );
  });

  it('cognitive: angle scatter and percent-correct bars, intact ghost + ablated', () => {
    const fig = behaviourFigure(cognitiveView({ ablated: true }), LIGHT_THEME);
    const bars = fig.data.map(loose).filter((d) => d.type === 'bar');
    expect(bars.map((b) => b.name)).toEqual(['intact', 'ablated']);
    expect(bars[0].x).toEqual(['Delay Pro', 'Delay Anti', 'Memory Pro']);
    expect(bars[0].y).toEqual([100, 100, 100]);
    expect(fig.layout.yaxis2?.range).toEqual([0, 100]);
  });

  it('EFT: MSE by query position with a chance line; predicted vs true with identity', () => {
    const view = eftView({ ablated: true });
    const beh = behaviourFigure(view, LIGHT_THEME);
    expect(beh.data.map(loose).map((d) => d.name)).toEqual(['intact', 'ablated', 'chance (36.7)']);
    expect(loose(beh.data[0]).x).toHaveLength(25);
    const out = eftOutputFigure(view, LIGHT_THEME);
    const identity = loose(out.data[0]);
    expect(identity.x).toEqual(identity.y);
    expect(loose(out.data[1]).opacity).toBeLessThan(0.5);
    expect(loose(out.data[2]).name).toBe('ablated');
  });

  it('cognitive output shows the selected trial’s three channels and targets', () => {
    const view = cognitiveView();
    const fig = outputFigure(view, LIGHT_THEME, 2);
    const lines = fig.data.map(loose);
    expect(lines).toHaveLength(6);
    expect(lines.filter((d) => d.line?.dash === 'dash')).toHaveLength(3);
    expect(lines[3].name).toBe('fixation');
    expect(lines[3].y).toHaveLength(view.T);
    expect(fig.layout.shapes?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('s(t) figure', () => {
  it('has one subplot per component, each with cue markers', () => {
    const view = mwgView();
    const fig = signalFigure(view, { alignment: 'start', theme: LIGHT_THEME });
    const axes = ['y', 'y2', 'y3'];
    for (const [k, ax] of axes.entries()) {
      const onAxis = fig.data.map(loose).filter((d) => (d.yaxis ?? 'y') === ax);
      const lines = onAxis.filter((d) => d.mode === 'lines');
      const cues = onAxis.filter((d) => d.mode === 'markers');
      expect(lines).toHaveLength(12); // one per interval
      expect(cues.map((c) => c.name)).toEqual(['measure cue', 'set (wait) cue', 'go cue']);
      expect(cues.map((c) => c.marker?.symbol)).toEqual(['circle', 'square', 'triangle-up']);
      const yAxis = k === 0 ? fig.layout.yaxis : fig.layout[`yaxis${k + 1}` as 'yaxis2'];
      expect(yAxis?.title?.text).toBe(`s${k + 1}`);
    }
    expect(fig.layout.yaxis4).toBeUndefined();
    // Legend entries only once (on the first subplot).
    expect(fig.data.map(loose).filter((d) => d.showlegend && d.yaxis !== 'y')).toHaveLength(0);
  });

  it('aligns MWG trials to the go cue over go−20 … go+40', () => {
    expect(MWG_GO_WINDOW).toEqual([-20, 40]);
    const view = mwgView();
    const option = resolveAlignment('mwg', 'go');
    for (const m of view.meta) {
      const { t, x } = alignedSteps(m, view.T, option);
      expect(x[0]).toBe(-20);
      expect(x.at(-1)).toBe(40);
      expect(t[0]).toBe(m.cues.go - 20);
      expect(t.at(-1)).toBe(m.cues.go + 40);
    }
    const fig = signalFigure(view, { alignment: 'go', theme: LIGHT_THEME });
    expect(fig.layout.xaxis?.range).toEqual([-20, 40]);
    const first = loose(fig.data[0]);
    expect(first.x?.[0]).toBe(-20);
    // The go cue sits at 0 for every trial, and a dotted line marks it.
    const go = fig.data.map(loose).find((d) => d.name === 'go cue');
    expect(new Set(go?.x)).toEqual(new Set([0]));
    expect(fig.layout.shapes?.[0]).toMatchObject({ x0: 0, x1: 0 });
  });

  it('offers the alignments of each family and falls back to trial start', () => {
    expect(alignmentOptions('mwg').map((o) => o.value)).toEqual(['start', 'go']);
    expect(alignmentOptions('multitask').map((o) => o.value)).toEqual(['start', 'fixOff']);
    expect(alignmentOptions('eft').map((o) => o.value)).toEqual(['start', 'element', 'readout']);
    expect(resolveAlignment('eft', 'go').value).toBe('start');
    const view = cognitiveView();
    const option = resolveAlignment('multitask', 'fixOff');
    const [lo, hi] = xRange(view, option, [0, 1, 2]);
    expect(lo).toBe(-Math.max(...[0, 1, 2].map((b) => view.meta[b].cues.fixOff)));
    expect(hi).toBe(view.T - 1 - Math.min(...[0, 1, 2].map((b) => view.meta[b].cues.fixOff)));
  });

  it('draws ablated s over an intact ghost and shades the window on its component', () => {
    const view = mwgView({ ablated: true });
    const ablation = [
      { mode: 'off' as const, value: 0 },
      { mode: 'clamp' as const, value: 0, window: [40, 70] as [number, number] },
    ];
    const fig = signalFigure(view, { alignment: 'start', ablation, theme: LIGHT_THEME });
    const lines = fig.data.map(loose).filter((d) => d.mode === 'lines' && (d.yaxis ?? 'y') === 'y');
    expect(lines).toHaveLength(24);
    expect(lines.slice(0, 12).every((d) => (d.opacity ?? 1) < 0.5)).toBe(true);
    expect(lines.slice(12).every((d) => d.opacity === 1)).toBe(true);
    const rect = fig.layout.shapes?.find((s) => s.type === 'rect');
    expect(rect).toMatchObject({ x0: 40, x1: 70, yref: 'y2 domain' });
    // Aligned to go, the window sits at different times in different trials.
    const shades = windowShading(view, ablation, resolveAlignment('mwg', 'go'), [0, 11], 3);
    expect(shades[0].varies).toBe(true);
    // A window counted from go sits still on the go-aligned plot, and moves on the start-aligned one.
    const fromGo = [
      { mode: 'clamp' as const, value: 0, window: [-5, 10] as [number, number], anchor: 'go' },
    ];
    const go = windowShading(view, fromGo, resolveAlignment('mwg', 'go'), [0, 11], 3);
    expect(go).toEqual([{ k: 0, x0: -5, x1: 10, varies: false }]);
    const start = windowShading(view, fromGo, resolveAlignment('mwg', 'start'), [0, 11], 3);
    const goes = [0, 11].map((b) => view.meta[b].cues.go);
    expect(start[0]).toEqual({
      k: 0,
      x0: Math.min(...goes) - 5,
      x1: Math.max(...goes) + 10,
      varies: goes[0] !== goes[1],
    });
    expect(rowDomains(3)[0][1]).toBe(1);
    expect(rowDomains(3)[2][0]).toBeCloseTo(0);
  });
});

describe('PCA figure', () => {
  it('has 3 coordinates per point in 3-D, explained variance on the axes, a fixed uirevision', () => {
    const view = mwgView();
    const fig = pcaFigure(view, { mode: '3d', theme: LIGHT_THEME });
    const lines = fig.data.map(loose).filter((d) => d.type === 'scatter3d' && d.mode === 'lines');
    expect(lines).toHaveLength(12);
    for (const l of lines) {
      expect(l.x).toHaveLength(view.T);
      expect(l.y).toHaveLength(view.T);
      expect(l.z).toHaveLength(view.T);
    }
    expect(fig.layout.scene?.xaxis?.title?.text).toBe('PC1 (41%)');
    expect(fig.layout.scene?.zaxis?.title?.text).toBe('PC3 (9%)');
    expect(fig.layout.uirevision).toBe('pca-3d');
    const cues = fig.data.map(loose).filter((d) => d.mode === 'markers');
    expect(cues.map((c) => c.name)).toEqual(['measure cue', 'set (wait) cue', 'go cue']);
    expect(explainedVarianceText([0.41, 0.22, 0.09, 0.05])).toBe(
      'PC1 41%, PC2 22%, PC3 9% (cum. 72%)',
    );
    expect(explainedVarianceText([])).toBe('');
  });

  it('draws ablated trajectories over faded intact ones, and has a 2-D mode', () => {
    const view = mwgView({ ablated: true });
    const fig = pcaFigure(view, { mode: '2d', theme: LIGHT_THEME });
    const lines = fig.data.map(loose).filter((d) => d.type === 'scatter' && d.mode === 'lines');
    expect(lines).toHaveLength(24);
    expect(lines[0].opacity).toBeLessThan(0.5);
    expect(lines[12].opacity).toBe(1);
    expect(lines[0].z).toBeUndefined();
    expect(fig.layout.xaxis?.title?.text).toBe('PC1 (41%)');
  });

  it('groups many trials per condition into one gapped trace', () => {
    const view = eftView();
    const fig = pcaFigure(view, { mode: '3d', theme: LIGHT_THEME, maxTrials: 60 });
    const lines = fig.data.map(loose).filter((d) => d.mode === 'lines');
    const conditions = new Set(view.meta.map((m) => m.condition));
    expect(lines.length).toBe(conditions.size);
    expect(lines.some((l) => l.x?.includes(null))).toBe(true);
    expect(lines.filter((l) => l.showlegend).map((l) => l.name)).toEqual([
      `q=${Math.min(...conditions)}`,
      `q=${Math.max(...conditions)}`,
    ]);
  });
});

describe('legends, epochs, theme', () => {
  it('plans one legend entry per MWG group and per cognitive task', () => {
    const mwg = legendPlan('mwg', mwgView().meta);
    expect(mwg(4)).toEqual({ show: true, name: 'shorter (I=4–10)', group: 'group-short' });
    expect(mwg(6).show).toBe(false);
    const cog = legendPlan('multitask', cognitiveView().meta);
    expect(cog(1)).toMatchObject({ show: true, name: 'Delay Anti' });
  });

  it('derives trial epochs from cues', () => {
    const mwg = mwgView().meta[4]; // I = 12, measure at 15
    expect(epochsOf('mwg', mwg, 110)).toEqual([
      { name: 'measure', t0: 15, t1: 27 },
      { name: 'wait', t0: 27, t1: 42 },
      { name: 'ramp', t0: 42, t1: 54 },
    ]);
    const memory = cognitiveView().meta.find((m) => m.cues.stimOff !== undefined)!;
    expect(epochsOf('multitask', memory, 100).map((e) => e.name)).toEqual([
      'fixation',
      'stimulus',
      'memory',
      'response',
    ]);
    const eft = eftView().meta[0];
    expect(epochsOf('eft', eft, 26).map((e) => e.name)).toEqual(['query', 'v_q', 'readout']);
  });

  it('themes every axis and scene for dark mode, keeping the caller’s settings', () => {
    const out = themedLayout(
      {
        xaxis: { title: { text: 'step' } },
        yaxis3: { range: [0, 1] },
        scene: { xaxis: { title: { text: 'PC1' } } },
      },
      DARK_THEME,
    );
    expect(out.font?.color).toBe(DARK_THEME.foreground);
    expect(out.paper_bgcolor).toBe(DARK_THEME.background);
    expect(out.xaxis?.gridcolor).toBe(DARK_THEME.grid);
    expect(out.xaxis?.title?.text).toBe('step');
    expect(out.yaxis3?.range).toEqual([0, 1]);
    expect(out.yaxis3?.color).toBe(DARK_THEME.foreground);
    expect(out.scene?.xaxis?.title?.text).toBe('PC1');
    expect(out.scene?.xaxis?.gridcolor).toBe(DARK_THEME.grid);
  });
});

describe('task example', () => {
  it('draws an MWG trial from the configured intervals and delay', () => {
    const task = {
      ...DEFAULT_EXPERIMENT.task,
      mwg: { trainIntervals: [12, 14, 16, 18], delay: 20 },
    };
    expect(exampleInterval(task.mwg.trainIntervals)).toBe(14);
    const ex = exampleTrial(task);
    if ('error' in ex) throw new Error(ex.error);
    expect(ex.trial.meta.cues).toEqual({ measure: 15, set: 29, go: 49 });
    const fig = taskFigure(ex, LIGHT_THEME);
    expect(fig.data.map(loose).map((d) => d.name)).toEqual([
      'measure',
      'set',
      'go',
      'target output',
    ]);
    expect(fig.layout.annotations?.map((a) => a.text)).toEqual(['measure', 'wait', 'ramp']);
  });

  it('draws the chosen cognitive task without the other tasks’ context channels', () => {
    const task = { ...DEFAULT_EXPERIMENT.task, family: 'multitask' as const };
    const ex = exampleTrial(task, 'memoryPro');
    if ('error' in ex) throw new Error(ex.error);
    expect(ex.trial.meta.label).toMatch(/^memoryPro/);
    const names = taskFigure(ex, LIGHT_THEME)
      .data.map(loose)
      .map((d) => d.name);
    expect(names).toEqual([
      'fixation',
      'sin θ_in',
      'cos θ_in',
      'context memoryPro',
      'target fixation',
      'target sin θ_out',
      'target cos θ_out',
    ]);
  });

  it('draws an EFT sequence of the configured length, and reports impossible settings', () => {
    const ex = exampleTrial({ ...DEFAULT_EXPERIMENT.task, family: 'eft', eft: { length: 10 } });
    if ('error' in ex) throw new Error(ex.error);
    expect(ex.trial.T).toBe(11);
    const bad = exampleTrial({ ...DEFAULT_EXPERIMENT.task, family: 'eft', eft: { length: 0 } });
    expect(bad).toEqual({ error: expect.stringMatching(/EFT length/) });
  });
});
