/**
 * The link decoder against hostile input: generated and mutated fragments must never throw and must
 * always yield a configuration the engine can build, plus notices for what was dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from '../../src/state/link/shareCodec';
import { configProblem } from '../../src/core/config/validate';
import { createExperiment } from '../../src/core/experiment';
import { PRESETS } from '../../src/core/config/presets';

const KEYS = [
  'v',
  'preset',
  'task',
  'intervals',
  'delay',
  'tasks',
  'eftlen',
  'model',
  'N',
  'R',
  'M',
  'tx',
  'tz',
  'fb',
  'orth',
  'rscale',
  'bias',
  'init',
  'opt',
  'lr',
  'bs',
  'stage',
  'wd',
  'clip',
  'eps',
  'steps',
  'sched',
  'aloop',
  'pool',
  'seed',
  'dseed',
  'w',
  'trained',
  'abl',
  'tab',
  'align',
  'pca',
  'trial',
  'hide',
  'lock',
  'be',
  'th',
  'phi',
  'sym',
  'present',
  'nonsense',
  'valueOf',
  '__proto__',
  'constructor',
  'toString',
];

const nasty = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'NaN',
    '0:clamp:0@go:-5..20',
    '1:scale:1.5@fixOff:-999999..3',
    '0:clamp:0@constructor:1..2',
    'webgpu',
    'linear',
    'Infinity',
    '-Infinity',
    '1e308',
    '-1e308',
    '-3',
    '0',
    '1.5',
    '',
    ' ',
    '0x1f',
  ),
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '%',
    '%E0%A4%A',
    '&&&',
    '===',
  ),
  fc.string({ minLength: 500, maxLength: 3000 }),
  fc.constantFrom(
    'output:10000,nm:10000,all:50000',
    'all:-1',
    'nm:5:9',
    '3000:0.1',
    '99999:2',
    's1=c0.5@0-9',
    'foo',
  ),
);

const pair = fc
  .tuple(fc.constantFrom(...KEYS), nasty)
  .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
const fragments = fc.oneof(
  fc.array(pair, { maxLength: 12 }).map((ps) => ps.join('&')),
  fc.string({ maxLength: 200 }),
  fc
    .uint8Array({ maxLength: 200 })
    .map((b) => Array.from(b, (x) => String.fromCharCode(x)).join('')),
  // Valid links with one field mutated.
  fc
    .tuple(fc.constantFrom(...PRESETS.map((p) => p.name)), pair)
    .map(([name, p]) => `v=1&preset=${name}&${p}`),
);

describe('link decoder fuzz', () => {
  it('never throws and always yields a configuration the engine accepts (10,000 cases)', () => {
    fc.assert(
      fc.property(fragments, (fragment) => {
        const { state, notices } = decodeShare(fragment);
        expect(Array.isArray(notices)).toBe(true);
        expect(configProblem(state.config)).toBeUndefined();
        expect(state.ablation.length).toBeGreaterThanOrEqual(0);
        // What it decoded re-encodes and decodes to the same configuration.
        expect(decodeShare(encodeShare(state)).state.config).toEqual(state.config);
      }),
      { numRuns: 10_000 },
    );
  });

  it('a sample of decoded configurations builds its experiment', () => {
    fc.assert(
      fc.property(fragments, (fragment) => {
        const { state } = decodeShare(fragment);
        expect(() => createExperiment(state.config)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('the worst links from the field reports train-ready configurations with notices', () => {
    const { state, notices } = decodeShare('v=9&N=-3&lr=NaN&abl=foo');
    expect(configProblem(state.config)).toBeUndefined();
    expect(state.config.model.R).toBeLessThanOrEqual(state.config.model.N);
    const text = notices.map((n) => n.message).join(' | ');
    expect(text).toMatch(/newer version/);
    expect(text).toMatch(/R = 3 cannot exceed N = 1/);
    expect(text).toMatch(/lr/);
  });
});
