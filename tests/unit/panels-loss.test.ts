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

describe('loss figure', () => {
  it('plots training loss on a log axis and drops values a log axis cannot show', () => {
    const fig = lossFigure(loss, [], LIGHT_THEME);
    expect(fig.layout.yaxis?.type).toBe('log');
    const first = fig.data[0] as Loose;
    expect(first.name).toBe('training loss');
    expect(first.y).toEqual([0.5, null, 0.1]);
  });

  it('adds loss-like metrics, percent metrics on a second axis, and a chance line', () => {
    const evals: EvalPoint[] = [
      {
        step: 1,
        metrics: {
          'mse.trained': 0.2,
          'mse.extrapolated': 0.4,
          'percent.delayPro': 20,
          chanceMse: 36.67,
          step: 1,
        },
      },
      { step: 3, metrics: { 'mse.trained': 0.1, 'mse.extrapolated': 0.3, 'percent.delayPro': 80 } },
    ];
    expect(lossMetricKeys(evals)).toEqual(['mse.trained', 'mse.extrapolated']);
    expect(percentMetricKeys(evals)).toEqual(['percent.delayPro']);
    const fig = lossFigure(loss, evals, LIGHT_THEME);
    const names = fig.data.map((d) => (d as Loose).name);
    expect(names).toEqual([
      'training loss',
      'eval MSE trained',
      'eval MSE extrapolated',
      'eval % correct delay pro',
      'chance',
    ]);
    expect((fig.data[3] as Loose).yaxis).toBe('y2');
    expect(fig.layout.yaxis2?.range).toEqual([0, 100]);
    expect(fig.layout.hovermode).toBe('x unified');
  });

  it('ignores non-numeric metric values (e.g. per-trial arrays)', () => {
    const evals = [
      { step: 1, metrics: { mse: [1, 2] as unknown as number, 'mseByGroup.all': 0.3 } },
    ];
    expect(lossMetricKeys(evals)).toEqual(['mseByGroup.all']);
    expect(metricLabel('mseByGroup.all')).toBe('eval MSE all');
    expect(metricLabel('overall.percent')).toBe('eval % correct');
    expect(
      percentMetricKeys([{ step: 1, metrics: { 'overall.correct': 7, 'overall.percent': 70 } }]),
    ).toEqual(['overall.percent']);
  });

  it('summarises the latest values in words', () => {
    expect(lossSummary([], [])).toBe('No training steps yet.');
    expect(lossSummary(loss, [{ step: 3, metrics: { mse: 0.25 } }])).toBe(
      'Step 3: training loss 0.100, eval MSE 0.250.',
    );
  });
});
