import { describe, expect, it } from 'vitest';
import {
  activeComponents,
  describeComponent,
  isAblationActive,
  moveWindowEdge,
  normalizeAblation,
  resetAblation,
  setMode,
  setValue,
  setWindow,
  setWindowAnchor,
  valueRange,
  windowFromDrag,
} from '../../src/ui/panels/ablationEdit';
import { ablationReadout } from '../../src/ui/panels/ablationReadout';
import {
  formatElapsed,
  formatLr,
  formatMetric,
  lrToSlider,
  sliderToLr,
} from '../../src/ui/panels/format';
import { mwgView, cognitiveView, eftView } from './panels-fixtures';

describe('ablation edits', () => {
  it('normalises to K entries, all off by default', () => {
    expect(normalizeAblation(undefined, 3)).toEqual(resetAblation(3));
    const a = normalizeAblation([{ mode: 'clamp', value: 0 }], 2);
    expect(a).toHaveLength(2);
    expect(a[1].mode).toBe('off');
    expect(normalizeAblation(resetAblation(5), 3)).toHaveLength(3);
  });

  it('switching mode picks a sensible value inside the new range', () => {
    const a0 = resetAblation(3);
    const clamp = setMode(a0, 1, 'clamp');
    expect(clamp[1]).toEqual({ mode: 'clamp', value: 0 });
    expect(a0[1].mode).toBe('off'); // input not mutated
    const scaled = setMode(setValue(clamp, 1, 1), 1, 'scale');
    expect(scaled[1].mode).toBe('scale');
    expect(scaled[1].value).toBe(0.5);
    expect(valueRange('clamp')).toEqual([0, 1]);
    expect(valueRange('scale')).toEqual([0, 2]);
    expect(setValue(scaled, 1, 5)[1].value).toBe(2);
    expect(setValue(clamp, 1, -1)[1].value).toBe(0);
  });

  it('keeps windows inside 0..T and non-empty', () => {
    const T = 110;
    let a = setMode(resetAblation(2), 0, 'clamp');
    a = setWindow(a, 0, [40, 70], T);
    expect(a[0].window).toEqual([40, 70]);
    a = moveWindowEdge(a, 0, 'start', 90, T);
    expect(a[0].window).toEqual([90, 91]);
    a = moveWindowEdge(a, 0, 'end', 10, T);
    expect(a[0].window).toEqual([9, 10]);
    a = setWindow(a, 0, [-5, 500], T);
    expect(a[0].window).toEqual([0, 110]);
    a = setWindow(a, 0, undefined, T);
    expect(a[0].window).toBeUndefined();
    expect('window' in a[0]).toBe(false);
  });

  it('counts a window from a cue: bounds reach a trial before and after it', () => {
    const T = 110;
    let a = setWindowAnchor(setMode(resetAblation(2), 1, 'clamp'), 1, 'go', T);
    expect(a[1]).toEqual({ mode: 'clamp', value: 0, window: [0, 10], anchor: 'go' });
    a = moveWindowEdge(a, 1, 'start', -500, T);
    expect(a[1].window).toEqual([-109, 10]);
    expect(describeComponent(setWindow(a, 1, [-5, 20], T)[1], 1)).toBe(
      's2 clamped to 0.00 during go−5 … go+20',
    );
    // Back to trial start: the window is the whole trial again and the anchor is gone.
    a = setWindowAnchor(a, 1, undefined, T);
    expect(a[1]).toEqual({ mode: 'clamp', value: 0, window: [0, 110] });
  });

  it('a span dragged on the plot becomes the window, clamping an intact component to 0', () => {
    const a = windowFromDrag(resetAblation(3), 2, [12.6, -4.2], 'go', 110);
    expect(a[2]).toEqual({ mode: 'clamp', value: 0, window: [-4, 13], anchor: 'go' });
    const scaled = setValue(setMode(resetAblation(1), 0, 'scale'), 0, 1.5);
    const b = windowFromDrag(scaled, 0, [30, 30.2], undefined, 110);
    expect(b[0]).toEqual({ mode: 'scale', value: 1.5, window: [30, 31] });
  });

  it('reports which components are active (scale 1 is a no-op)', () => {
    let a = resetAblation(3);
    expect(isAblationActive(a)).toBe(false);
    a = setValue(setMode(a, 2, 'scale'), 2, 1);
    expect(activeComponents(a)).toEqual([]);
    a = setMode(a, 0, 'clamp');
    expect(activeComponents(a)).toEqual([0]);
    expect(describeComponent(a[0], 0)).toBe('s1 clamped to 0.00');
    expect(describeComponent(setWindow(a, 0, [40, 70], 110)[0], 0)).toBe(
      's1 clamped to 0.00 during t 40–70',
    );
  });
});

describe('ablation readout', () => {
  it('is absent without an ablated run', () => {
    expect(ablationReadout(mwgView())).toBeUndefined();
    expect(ablationReadout(undefined)).toBeUndefined();
  });
  it('compares intact and ablated headline metrics per task', () => {
    expect(ablationReadout(mwgView({ ablated: true }))).toMatch(/^extrapolation MSE \S+ → \S+$/);
    expect(ablationReadout(cognitiveView({ ablated: true }))).toMatch(
      /^percent correct \S+% → \S+%$/,
    );
    expect(ablationReadout(eftView({ ablated: true }))).toMatch(/^MSE \S+ → \S+$/);
  });
});

describe('formatting', () => {
  it('formats elapsed time', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(65_400)).toBe('1:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(Number.NaN)).toBe('0:00');
  });
  it('formats learning rates and metrics', () => {
    expect(formatLr(0.01)).toBe('0.01');
    expect(formatLr(0.0031622)).toBe('0.0032');
    expect(formatLr(3.2e-4)).toBe('3.2e-4');
    expect(formatLr(1e-4)).toBe('1e-4');
    expect(formatMetric(0.012345)).toBe('0.0123');
    expect(formatMetric(Number.NaN)).toBe('n/a');
    expect(formatMetric(undefined)).toBe('–');
  });
  it('maps the log learning-rate slider both ways within 1e-4..1e-1', () => {
    expect(lrToSlider(1e-2)).toBeCloseTo(-2);
    expect(lrToSlider(1)).toBe(-1);
    expect(lrToSlider(1e-6)).toBe(-4);
    expect(sliderToLr(-2)).toBe(0.01);
    expect(sliderToLr(-2.5)).toBe(0.0032);
  });
});
