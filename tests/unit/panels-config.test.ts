import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/core/config/presets';
import { DEFAULT_EXPERIMENT, withOverrides } from '../../src/core/config/schema';
import { fieldsFor, matchedN, modelParamCount } from '../../src/ui/panels/modelInfo';
import {
  INTERVAL_CHOICES,
  parseIntervals,
  toggleInterval,
  toggleTask,
} from '../../src/ui/panels/taskEdit';
import { describeArchitecture } from '../../src/ui/panels/ArchitectureDiagram';

describe('model panel logic', () => {
  it('shows only the sizes that apply to each kind', () => {
    expect(fieldsFor('nmrnn')).toEqual(['N', 'R', 'M', 'tauX', 'tauZ']);
    expect(fieldsFor('lrrnn')).toEqual(['N', 'R', 'tauX']);
    expect(fieldsFor('rnn')).toEqual(['N', 'tauX']);
    expect(fieldsFor('lstm')).toEqual(['N']);
  });

  it('counts parameters of the paper’s matched MWG models', () => {
    const count = (name: string) => {
      const p = PRESETS.find((x) => x.name === name);
      if (!p) throw new Error(`no preset ${name}`);
      return modelParamCount(p.config);
    };
    expect(count('mwg-nmrnn')).toEqual({ count: 1059 });
    expect(count('mwg-lrrnn')).toEqual({ count: 1061 });
  });

  it('reports sizes that make no model instead of throwing', () => {
    const bad = withOverrides(DEFAULT_EXPERIMENT, { model: { N: 2, R: 3 } });
    const r = modelParamCount(bad);
    expect('error' in r && r.error).toMatch(/orthonormalise/);
  });

  it('matches N to a parameter budget (LR-RNN N106, RNN N31, LSTM N15 for 1059)', () => {
    const as = (kind: 'lrrnn' | 'rnn' | 'lstm') =>
      withOverrides(DEFAULT_EXPERIMENT, { model: { kind } });
    expect(matchedN(as('lrrnn'), 1059)).toEqual({ N: 106, count: 1061 });
    expect(matchedN(as('rnn'), 1059)).toEqual({ N: 31, count: 1086 });
    expect(matchedN(as('lstm'), 1059)).toEqual({ N: 15, count: 1155 });
    const tooMany = matchedN(as('lstm'), 5_000_000);
    expect('error' in tooMany).toBe(true);
  });
});

describe('task panel logic', () => {
  it('offers the even intervals 4…26', () => {
    expect(INTERVAL_CHOICES).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]);
  });

  it('toggles intervals, sorted and never empty', () => {
    expect(toggleInterval([12, 14], 8, true)).toEqual([8, 12, 14]);
    expect(toggleInterval([12, 14], 12, false)).toEqual([14]);
    expect(toggleInterval([14], 14, false)).toEqual([14]);
  });

  it('parses an interval list and explains what is wrong', () => {
    expect(parseIntervals('18, 12 14;16 12')).toEqual({ intervals: [12, 14, 16, 18] });
    expect(parseIntervals('')).toEqual({ error: 'Enter at least one interval.' });
    expect(parseIntervals('12, 1.5')).toEqual({
      error: '"1.5" is not a whole number of steps between 2 and 40.',
    });
    expect('error' in parseIntervals('12, 99')).toBe(true);
  });

  it('toggles cognitive tasks in context order, never leaving the mix empty', () => {
    expect(toggleTask(['memoryPro', 'delayPro'], 'delayAnti', true)).toEqual([
      'delayPro',
      'delayAnti',
      'memoryPro',
    ]);
    expect(toggleTask(['delayPro'], 'delayPro', false)).toEqual(['delayPro']);
  });
});

describe('architecture description', () => {
  it('describes the NM-RNN and names the ablated components', () => {
    const text = describeArchitecture({
      kind: 'nmrnn',
      N: 100,
      R: 3,
      M: 5,
      U: 3,
      O: 1,
      highlightedComponents: [1],
    });
    expect(text).toContain('z (5 units)');
    expect(text).toContain('s(t) with 3 components');
    expect(text).toContain('Ablated: s2 (component 2).');
    expect(describeArchitecture({ kind: 'lstm', N: 15, R: 3, M: 5, U: 3, O: 1 })).toMatch(/LSTM/);
  });
});
