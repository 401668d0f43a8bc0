import { describe, expect, it } from 'vitest';
import {
  combineRounds,
  formatPeerTable,
  type BenchRow,
  type PeerRow,
} from '../../src/core/bench/benchTable';

const row = (
  family: BenchRow['family'],
  B: number,
  ms: number,
  impl: BenchRow['impl'] = 'fused',
): BenchRow => ({
  backend: 'wasm',
  family,
  N: 100,
  B,
  T: 110,
  impl,
  msPerStep: ms,
  p10: ms,
  p90: ms,
  steps: 10,
  simd: true,
});

describe('the PyTorch peer table', () => {
  it('puts each fused figure beside its peer, as PyTorch ÷ ours', () => {
    const peers: PeerRow[] = [
      { family: 'lstm', B: 40, msPerStep: 30, threads: 2, torch: '1.13.1' },
      { family: 'nmrnn', B: 40, msPerStep: 12, threads: 2, torch: '1.13.1' },
    ];
    const text = formatPeerTable(
      [
        row('lstm', 40, 10),
        row('lstm', 40, 99, 'reference'),
        row('nmrnn', 40, 24),
        row('lrrnn', 40, 5),
      ],
      peers,
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^\| lstm \| 40 \| wasm \| 10\.00 \| nn\.LSTM .* \| 30\.00 \| 3\.00× \|$/,
    );
    // Slower than PyTorch shows as a ratio below 1.
    expect(lines[3]).toMatch(/NM-RNN eager loop .* \| 12\.00 \| 0\.50× \|$/);
  });
});

describe('combineRounds', () => {
  it("reports the median of the rounds' medians and keeps each", () => {
    const rounds = [row('nmrnn', 40, 2.4), row('nmrnn', 40, 1.9), row('nmrnn', 40, 5.0)];
    const one = combineRounds(rounds);
    expect(one.msPerStep).toBe(2.4);
    expect(one.roundMedians).toEqual([2.4, 1.9, 5.0]);
    expect(one.steps).toBe(30);
    expect(combineRounds([row('rnn', 40, 1), row('rnn', 40, 2)]).msPerStep).toBe(1.5);
    expect(() => combineRounds([])).toThrow(/no rounds/);
  });
});
