import { describe, expect, it } from 'vitest';
import {
  SHARE_VERSION,
  decodeShare,
  defaultShareState,
  encodeShare,
  type ShareState,
} from '../../src/state/link/shareCodec';
import { DEFAULT_EXPERIMENT, BOUNDS } from '../../src/core/config/schema';
import { PRESETS, findPreset } from '../../src/core/config/presets';

function customState(): ShareState {
  const s = defaultShareState();
  s.preset = 'mwg-nmrnn';
  s.weights = true;
  s.trained = 1234;
  s.config.model.N = 64;
  s.config.model.tauX = 12.5;
  s.config.training.lr = 0.0031622776601683794;
  s.config.training.eps = 1e-8;
  s.config.training.weightDecay = 0.0001;
  s.config.seeds = { init: 7, data: 2147483647 };
  s.config.task.multitask.tasks = ['delayPro', 'memoryAnti'];
  s.ablation = [
    { mode: 'clamp', value: 0 },
    { mode: 'off', value: 0.3 },
    { mode: 'scale', value: 1.5, window: [20, 60] },
  ];
  s.view = { tab: 'signal', align: 'start', pcaDims: 3, trial: 11, backend: 'wasm', threads: 2 };
  s.hide = ['model', 'lr'];
  s.lock = ['task'];
  return s;
}

describe('share codec', () => {
  it('round-trips the default state exactly, without notices', () => {
    const s = defaultShareState();
    const { state, notices } = decodeShare(`#${encodeShare(s)}`);
    expect(notices).toEqual([]);
    expect(state).toEqual(s);
  });

  it('round-trips a customised state exactly (floats, seeds, ablation windows, flags)', () => {
    const s = customState();
    const text = encodeShare(s);
    const { state, notices } = decodeShare(text);
    expect(notices).toEqual([]);
    expect(state).toEqual(s);
    expect(encodeShare(state)).toBe(text);
  });

  it('round-trips every preset', () => {
    for (const p of PRESETS) {
      const s = defaultShareState(p.config);
      s.preset = p.name;
      const { state, notices } = decodeShare(encodeShare(s));
      expect(notices, p.name).toEqual([]);
      expect(state, p.name).toEqual(s);
    }
  });

  it('is human readable and versioned', () => {
    const text = encodeShare(customState());
    expect(text.startsWith(`v=${SHARE_VERSION}&preset=mwg-nmrnn`)).toBe(true);
    expect(text).toContain('abl=0:clamp:0,1:off:0.3,2:scale:1.5@20-60');
    expect(text).toContain('hide=model,lr');
    expect(text).toContain('lock=task');
    expect(text).toContain('tasks=delayPro,memoryAnti');
  });

  it('uses the preset as the base of a short hand-written link', () => {
    const { state, notices } = decodeShare('#v=1&preset=mwg-lstm&lr=0.005');
    expect(notices).toEqual([]);
    expect(state.preset).toBe('mwg-lstm');
    expect(state.config.model).toEqual(findPreset('mwg-lstm')!.config.model);
    expect(state.config.training.lr).toBe(0.005);
    expect(state.ablation).toEqual([]);
  });

  it('clamps out-of-range numbers to BOUNDS and says so', () => {
    const { state, notices } = decodeShare('#v=1&N=100000&R=0&lr=5&seed=-3');
    expect(state.config.model.N).toBe(BOUNDS.N[1]);
    expect(state.config.model.R).toBe(BOUNDS.R[0]);
    expect(state.config.training.lr).toBe(BOUNDS.lr[1]);
    expect(state.config.seeds.init).toBe(0);
    expect(notices.map((n) => n.key).sort()).toEqual(['N', 'R', 'lr', 'seed']);
    expect(notices.every((n) => n.kind === 'clamped')).toBe(true);
    expect(notices.find((n) => n.key === 'N')!.message).toMatch(/above the maximum 512/);
  });

  it('reads the step threads a link asks for, within 1–4', () => {
    expect(decodeShare('#v=1&th=2').state.view.threads).toBe(2);
    const { state, notices } = decodeShare('#v=1&th=9');
    expect(state.view.threads).toBe(4);
    expect(notices.map((n) => n.key)).toEqual(['th']);
    expect(decodeShare('#v=1').state.view.threads).toBeUndefined();
  });

  it('rounds integers given as decimals', () => {
    const { state, notices } = decodeShare('#v=1&N=63.6');
    expect(state.config.model.N).toBe(64);
    expect(notices[0].message).toMatch(/rounded/);
  });

  it('reports unknown keys and invalid values but applies the rest', () => {
    const { state, notices } = decodeShare('#v=1&foo=1&model=transformer&N=50&tx=abc&lr=0x10');
    expect(state.config.model.N).toBe(50);
    expect(state.config.model.kind).toBe(DEFAULT_EXPERIMENT.model.kind);
    expect(state.config.model.tauX).toBe(DEFAULT_EXPERIMENT.model.tauX);
    expect(state.config.training.lr).toBe(DEFAULT_EXPERIMENT.training.lr);
    const byKey = Object.fromEntries(notices.map((n) => [n.key, n.kind]));
    expect(byKey).toEqual({ foo: 'unknown', model: 'invalid', tx: 'invalid', lr: 'invalid' });
  });

  it('never evaluates anything: script-looking values are just invalid text', () => {
    const { state, notices } = decodeShare(
      `#v=1&task=${encodeURIComponent('<img src=x onerror=alert(1)>')}&N=${encodeURIComponent('1;alert(1)')}`,
    );
    expect(state.config).toEqual(DEFAULT_EXPERIMENT);
    expect(notices.filter((n) => n.kind === 'invalid')).toHaveLength(2);
  });

  it('falls back to the default state with a readable notice on a malformed fragment', () => {
    for (const bad of ['#%E0%A4%A', '#garbage', '#&&&=&', '#foo=bar&baz=1', '#N=abc']) {
      const { state, notices } = decodeShare(bad);
      expect(state, bad).toEqual(defaultShareState());
      expect(notices.length, bad).toBeGreaterThan(0);
      expect(notices[notices.length - 1].message).toMatch(/could not be read/);
    }
  });

  it('reads an empty fragment as the default state, silently', () => {
    expect(decodeShare('')).toEqual({ state: defaultShareState(), notices: [] });
    expect(decodeShare('#')).toEqual({ state: defaultShareState(), notices: [] });
  });

  it('warns about links without a version or from a newer version', () => {
    expect(decodeShare('#N=50').notices.map((n) => n.kind)).toEqual(['version']);
    const newer = decodeShare('#v=7&N=50');
    expect(newer.state.config.model.N).toBe(50);
    expect(newer.notices[0].message).toMatch(/newer version/);
  });

  it('checks ablations against the model: component count, ranges, windows', () => {
    const { state, notices } = decodeShare('#v=1&R=2&abl=0:clamp:1.7,1:scale:3@50-40,5:clamp:0,x');
    expect(state.ablation).toEqual([
      { mode: 'clamp', value: 1 },
      { mode: 'scale', value: 2 },
    ]);
    expect(notices.filter((n) => n.key === 'abl')).toHaveLength(4);
    const lstm = decodeShare('#v=1&model=lstm&abl=0:clamp:0');
    expect(lstm.state.ablation).toEqual([]);
    expect(lstm.notices[0].message).toMatch(/no modulation signal/);
  });

  it('reads and writes windows counted from a cue of the task', () => {
    const { state, notices } = decodeShare(
      '#v=1&R=3&abl=0:clamp:0@go:-5..20,1:clamp:0@fixOff:1..4',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].message).toMatch(/"fixOff", which this task does not have.*go/);
    expect(state.ablation[0]).toEqual({ mode: 'clamp', value: 0, window: [-5, 20], anchor: 'go' });
    expect(state.ablation[1]).toEqual({ mode: 'clamp', value: 0 });
    const text = encodeShare(state);
    expect(text).toContain('abl=0:clamp:0@go:-5..20');
    expect(decodeShare(text).state.ablation).toEqual(state.ablation);
  });

  it('drops unknown classroom controls and unknown presets with notices', () => {
    const { state, notices } = decodeShare('#v=1&preset=nope&hide=model,wat&lock=task');
    expect(state.preset).toBeUndefined();
    expect(state.hide).toEqual(['model']);
    expect(state.lock).toEqual(['task']);
    expect(notices.map((n) => n.key).sort()).toEqual(['hide', 'preset']);
  });

  it('keeps the cognitive task mix in context-channel order and rejects an empty mix', () => {
    expect(decodeShare('#v=1&tasks=memoryAnti,delayPro').state.config.task.multitask.tasks).toEqual(
      ['delayPro', 'memoryAnti'],
    );
    const empty = decodeShare('#v=1&tasks=nothing');
    expect(empty.state.config.task.multitask.tasks).toEqual(
      DEFAULT_EXPERIMENT.task.multitask.tasks,
    );
    expect(empty.notices[0].kind).toBe('invalid');
  });

  it('ignores w=1 without a preset', () => {
    const { state, notices } = decodeShare('#v=1&w=1');
    expect(state.weights).toBe(false);
    expect(notices[0].key).toBe('w');
  });
});
