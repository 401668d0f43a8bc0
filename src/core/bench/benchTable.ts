/**
 * One benchmark measurement and the table both benchmark front ends print. Kept free of tfjs so
 * the browser benchmark's Node driver can format results without loading an engine.
 */
import type { ModelKind, ScanImpl } from '../models/types';
import { median } from '../reproduce/stats';
import { gigaMultiplyAddsPerSecond, percentOfPeak } from './arithmetic';

export interface BenchRow {
  backend: string;
  family: ModelKind;
  /** Hidden size used (the family's MWG preset). */
  N: number;
  B: number;
  T: number;
  impl: ScanImpl;
  /** Median ms per training step. */
  msPerStep: number;
  /** 10th and 90th percentiles, to show the noise. */
  p10: number;
  p90: number;
  steps: number;
  /** Multiply-adds of one step (arithmetic.ts), for the distance to the floor. */
  multiplyAdds?: number;
  /** Whether the cpu/wasm NM-RNN kernels ran as WebAssembly SIMD. */
  simd: boolean;
  /** Step threads sharing each step (absent: one). */
  threads?: number;
  /**
   * With --rounds: each round's median, in round order; msPerStep is then their median. Rounds
   * interleave the configurations, so a slow spell of the machine lands on one round, not one row.
   */
  roundMedians?: number[];
}

/**
 * One row from the same configuration's rounds (in order): the median of their medians, p10 and
 * p90 as the median of theirs, the steps summed, every round's median kept.
 */
export function combineRounds(rounds: readonly BenchRow[]): BenchRow {
  if (rounds.length === 0) throw new RangeError('combineRounds: no rounds');
  const medians = rounds.map((r) => r.msPerStep);
  return {
    ...rounds[0],
    msPerStep: median(medians),
    p10: median(rounds.map((r) => r.p10)),
    p90: median(rounds.map((r) => r.p90)),
    steps: rounds.reduce((n, r) => n + r.steps, 0),
    roundMedians: medians,
  };
}

const pad = (s: string, n: number) => s.padStart(n);

/** " (SIMD, 2 threads)" and the like, after the backend's name. */
function backendNote(r: BenchRow | undefined): string {
  const notes = [
    ...(r?.simd ? ['SIMD'] : []),
    ...((r?.threads ?? 1) > 1 ? [`${r?.threads} threads`] : []),
  ];
  return notes.length ? ` (${notes.join(', ')})` : '';
}

/**
 * A plain-text (and Markdown-compatible) table: one line per backend × family × B with the
 * reference and fused ms/step, steps/s, the fused step's multiply-adds per second (with
 * `peakGigaPerSecond`, one core's peak from bench/peak.ts, also as a share of the peak of the
 * cores the step ran on) and the ratio fused/reference.
 */
export function formatBenchTable(rows: BenchRow[], peakGigaPerSecond?: number): string {
  const key = (r: BenchRow) => `${r.backend}|${r.threads ?? 1}|${r.family}|${r.B}`;
  const groups = new Map<string, { ref?: BenchRow; fused?: BenchRow }>();
  for (const r of rows) {
    const g = groups.get(key(r)) ?? {};
    if (r.impl === 'fused') g.fused = r;
    else g.ref = r;
    groups.set(key(r), g);
  }
  const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '—' : v.toFixed(digits));
  const lines = [
    '| backend | model | N | B | reference ms/step | fused ms/step | fused steps/s | fused G mult-adds/s (of peak) | fused/reference | speed-up |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { ref, fused } of groups.values()) {
    const r = (ref ?? fused)!;
    const ratio = ref && fused ? fused.msPerStep / ref.msPerStep : undefined;
    const rate =
      fused?.multiplyAdds === undefined
        ? undefined
        : gigaMultiplyAddsPerSecond(fused.multiplyAdds, fused.msPerStep);
    const share =
      // The peak is the host's WebAssembly floor: a GPU backend's rows are not measured against it.
      rate === undefined || !peakGigaPerSecond || !['cpu', 'wasm'].includes(r.backend)
        ? ''
        : ` (${percentOfPeak(rate, peakGigaPerSecond, fused?.threads)} %)`;
    lines.push(
      `| ${r.backend}${backendNote(fused)} | ${r.family} | ${r.N} | ${r.B} | ${pad(fmt(ref?.msPerStep), 7)} | ${pad(fmt(fused?.msPerStep, 2), 7)} | ${pad(fmt(fused ? 1000 / fused.msPerStep : undefined, 0), 5)} | ${pad(fmt(rate, 2), 5)}${share} | ${fmt(ratio, 3)} | ${ratio ? `${(1 / ratio).toFixed(1)}×` : '—'} |`,
    );
  }
  return lines.join('\n');
}

/** One PyTorch measurement of scripts/bench-peers.py (same batch, same machine). */
export interface PeerRow {
  family: ModelKind;
  B: number;
  msPerStep: number;
  threads: number;
  torch: string;
}

const PEER_NAMES: Partial<Record<ModelKind, string>> = {
  nmrnn: 'NM-RNN eager loop',
  rnn: 'nn.RNN',
  lstm: 'nn.LSTM',
};

/**
 * Our fused figure beside PyTorch's peer for each family × B × backend (Markdown). The last
 * column is how many times faster we are (below 1: slower).
 */
export function formatPeerTable(rows: readonly BenchRow[], peers: readonly PeerRow[]): string {
  const lines = [
    '| model | B | backend | ours ms/step | PyTorch peer | PyTorch ms/step | PyTorch ÷ ours |',
    '|---|--:|---|--:|---|--:|--:|',
  ];
  for (const ours of rows.filter((r) => r.impl === 'fused')) {
    const peer = peers.find((p) => p.family === ours.family && p.B === ours.B);
    if (!peer) continue;
    lines.push(
      `| ${ours.family} | ${ours.B} | ${ours.backend} | ${ours.msPerStep.toFixed(2)} | ${PEER_NAMES[ours.family]} (${peer.threads} threads, torch ${peer.torch}) | ${peer.msPerStep.toFixed(2)} | ${(peer.msPerStep / ours.msPerStep).toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}

/** The floor line both bench front ends print (bench/peak.ts; `where`: e.g. " in Chromium"). */
export function describePeak(
  peak: { gigaPerSecond: number; relaxed: boolean } | null,
  where = '',
): string {
  return peak
    ? `floor: this core's WebAssembly peak${where} is ${peak.gigaPerSecond.toFixed(1)} G multiply-adds/s ` +
        `(${peak.relaxed ? 'fused, relaxed SIMD' : 'plain SIMD'}; bench/peak.ts)`
    : 'floor: unmeasured (no WebAssembly SIMD)';
}
