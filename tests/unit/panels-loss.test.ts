import { describe, expect, it } from 'vitest';
import {
  lossFigure,
  lossMetricKeys,
  lossSummary,
  metricLabel,
  percentMetricKeys,
} from '../../src/ui/plots/lossTraces';
import { LIGHT_THEME } from '../../src/ui/palette';
import type { EvalPoint, LossPoint } from '../../src/worker/protocol';

type Loose = { name?: string; y?: unknown[]; yaxis?: string };

const loss: LossPoint[] = [
  { step: 1, loss: 0.5 },
  { step: 2, loss: Number.NaN },
  { step: 3, loss: 0.1 },
];

/** The metric names the worker reports for each family (src/core/experiment.ts). */
const mwgMetrics = {
  mse: 0.3,
  mseTrained: 0.2,
  mseExtrapolated: 0.4,
  mseShort: 0.5,
  mseLong: 0.3,
  'produced.I4': 7,
  loss: 0.3,
};
const multitaskMetrics = {
  percentCorrect: 60,
  'percentCorrect.delayPro': 80,
  'percentCorrect.delayAnti': 50,
  loss: 0.2,
};
const eftMetrics = { mse: 12, chanceMse: 36.67, accuracy: 0.1, 'mseByQuery.q0': 3, loss: 12 };

describe('loss figure', () => {
  it('plots training loss on a log axis and drops values a log axis cannot show', () => {
    const fig = lossFigure(loss, [], LIGHT_THEME);
    expect(fig.layout.yaxis?.type).toBe('log');
    const first = fig.data[0] as Loose;
    expect(first.name).toBe('training loss');
    expect(first.y).toEqual([0.5, null, 0.1]);
  });

  it('MWG: shows loss on trained vs extrapolated intervals', () => {
    const evals: EvalPoint[] = [{ step: 1, metrics: mwgMetrics }];
    expect(lossMetricKeys(evals)).toEqual(['mseTrained', 'mseExtrapolated']);
    expect(percentMetricKeys(evals)).toEqual([]);
    const names = lossFigure(loss, evals, LIGHT_THEME).data.map((d) => (d as Loose).name);
    expect(names).toEqual(['training loss', 'MSE trained', 'MSE extrapolated']);
  });

  it('multitask: percent correct per task on a second 0–100 axis', () => {
    const evals: EvalPoint[] = [
      { step: 1, metrics: multitaskMetrics },
      { step: 3, metrics: { ...multitaskMetrics, percentCorrect: 90 } },
    ];
    expect(lossMetricKeys(evals)).toEqual([]);
    expect(percentMetricKeys(evals)).toEqual([
      'percentCorrect.delayPro',
      'percentCorrect.delayAnti',
    ]);
    const fig = lossFigure(loss, evals, LIGHT_THEME);
    const names = fig.data.map((d) => (d as Loose).name);
    expect(names).toEqual(['training loss', '% Delay Pro', '% Delay Anti']);
    expect((fig.data[1] as Loose).yaxis).toBe('y2');
    expect((fig.data[1] as Loose).y).toEqual([80, 80]);
    // Without per-task figures the overall one is shown, and an eval loss stays out.
    expect(percentMetricKeys([{ step: 1, metrics: { percentCorrect: 5, loss: 1 } }])).toEqual([
      'percentCorrect',
    ]);
    expect(lossMetricKeys([{ step: 1, metrics: { loss: 1 } }])).toEqual(['loss']);
    // The authors' decoding and ramp-window MSE are reported for reproduction, never plotted.
    const withAuthors = {
      ...multitaskMetrics,
      percentCorrectArctan: 95,
      'percentCorrectArctan.delayPro': 95,
    };
    expect(percentMetricKeys([{ step: 1, metrics: withAuthors }])).toEqual([
      'percentCorrect.delayPro',
      'percentCorrect.delayAnti',
    ]);
    expect(lossMetricKeys([{ step: 1, metrics: { mse: 1, mseRamp: 2 } }])).toEqual(['mse']);
    expect(fig.layout.yaxis2?.range).toEqual([0, 100]);
    expect(fig.layout.hovermode).toBe('x unified');
  });

  it('EFT: the MSE, no per-query series, and the chance level as a line', () => {
    const evals: EvalPoint[] = [{ step: 1, metrics: eftMetrics }];
    expect(lossMetricKeys(evals)).toEqual(['mse']);
    const names = lossFigure(loss, evals, LIGHT_THEME).data.map((d) => (d as Loose).name);
    expect(names).toEqual(['training loss', 'MSE', 'chance']);
  });

  it('ignores non-numeric metric values and labels keys readably', () => {
    const evals = [{ step: 1, metrics: { mse: [1, 2] as unknown as number, mseByGroup: 0.3 } }];
    expect(lossMetricKeys(evals)).toEqual(['mseByGroup']);
    expect(metricLabel('mseByGroup.all')).toBe('MSE all');
    expect(metricLabel('overall.percent')).toBe('% correct');
    expect(metricLabel('loss')).toBe('eval loss');
    expect(
      percentMetricKeys([{ step: 1, metrics: { 'overall.correct': 7, 'overall.percent': 70 } }]),
    ).toEqual(['overall.percent']);
  });

  it('summarises the latest values in words', () => {
    expect(lossSummary([], [])).toBe('No training steps yet.');
    expect(lossSummary(loss, [{ step: 3, metrics: { mse: 0.25 } }])).toBe(
      'Step 3: training loss 0.100, MSE 0.250.',
    );
  });
});
