/**
 * The fused training step as a sum over parts of the batch. A part is a contiguous range of trials;
 * its loss and gradients use the whole batch's loss denominator, so the parts' results add up to
 * the whole step's. With a pool of step threads registered (stepPool.ts) the parts run at once:
 * this thread takes the first, the helpers the rest, and the results are added in part order, so a
 * given thread count always gives the same sums (1 and 2 threads agree to float rounding).
 *
 * Every family packs its parameters (and its gradient) into one vector for this (layout.ts): the
 * NM-RNN and LR-RNN as nmrnnFactoredLayout (with L̃ in place of L), the vanilla RNN and the LSTM as
 * rnnStepLayout and lstmStepLayout.
 */
import type { NmrnnScanUAttrs } from '../attrs';
import { maskedMseDenominator, maskedMseWithGradient } from '../../train/loss';
import { nmrnnBackwardFactored, nmrnnForwardFactored } from '../cpu/nmrnnFactors';
import { nmrnnLossGradSimd, nmrnnSimd } from '../simd/nmrnnSimd';
import { nmrnnLossGradLanes, nmrnnLanesSimd } from '../simd/nmrnnLanesSimd';
import { lstmStepLayout, rnnStepLayout } from '../layout';
import { lstmLossGradSimd, rnnLossGradSimd, type LaneBatch } from '../simd/laneTrainSimd';
import { rnnSimd } from '../simd/rnnSimd';
import { lstmSimd } from '../simd/lstmSimd';
import { getStepThreads } from './stepPool';
import type { StepBatch, StepJob } from './stepTypes';

export type { StepBatch, StepJob } from './stepTypes';

/** The TypeScript-loop NM-RNN step (no WebAssembly SIMD), the same sequence as the SIMD one. */
function nmrnnLossGradLoops(
  a: NmrnnScanUAttrs,
  inp: { params: Float32Array; u: Float32Array; targets: Float32Array; mask: Float32Array },
  gParams: Float32Array,
  den: number,
): number {
  const { B, T, N, R, M, O } = a;
  const rows = B * T;
  const traj = {
    y: new Float32Array(rows * O),
    x: new Float32Array(rows * N),
    z: new Float32Array(rows * M),
    s: new Float32Array(M > 0 ? rows * R : 0),
  };
  const mul = new Float32Array(M > 0 ? rows * R : 0).fill(1);
  const add = new Float32Array(mul.length);
  nmrnnForwardFactored(a, { u: inp.u, params: inp.params, mul, add }, traj);
  const dY = new Float32Array(rows * O);
  const loss = maskedMseWithGradient(traj.y, inp.targets, inp.mask, { B, T, O }, dY, den);
  const zero = {
    x: new Float32Array(traj.x.length),
    z: new Float32Array(traj.z.length),
    s: new Float32Array(traj.s.length),
  };
  nmrnnBackwardFactored(
    a,
    { u: inp.u, params: inp.params, mul, traj, grad: { ...zero, y: dY } },
    gParams,
  );
  return loss;
}

function noSimd(kind: string): never {
  throw new Error(`fused ${kind} training step: WebAssembly SIMD is unavailable`);
}

/**
 * One part of a step: its trials' share of the loss (over the whole batch's denominator `den`),
 * with their gradient written into `g` (packed). job.attrs.B is replaced by the part's size.
 */
export function runStepPart(
  job: StepJob,
  params: Float32Array,
  part: StepBatch,
  den: number,
  g: Float32Array,
): number {
  const inp = { params, u: part.u, targets: part.targets, mask: part.mask };
  switch (job.kind) {
    case 'nmrnn': {
      const a = { ...job.attrs, B: part.B };
      // A helper thread follows the caller's choice (tests switch SIMD off to check the loops).
      if (!job.simd) return nmrnnLossGradLoops(a, inp, g, den);
      // Trials in the lanes unless switched off (the faster: docs/PERFORMANCE.md), else the
      // per-trial SIMD kernel.
      const lanes = job.lanes ? nmrnnLanesSimd(job.relaxed) : null;
      if (lanes) return nmrnnLossGradLanes(lanes, a, params, laneBatch(a, part, den), g, job.wants);
      const wasm = nmrnnSimd();
      return wasm ? nmrnnLossGradSimd(wasm, a, inp, g, den) : nmrnnLossGradLoops(a, inp, g, den);
    }
    case 'rnn': {
      const a = { ...job.attrs, B: part.B };
      const wasm = rnnSimd(job.relaxed) ?? noSimd('RNN');
      const lay = rnnStepLayout(a);
      const view = (v: Float32Array) => ({
        W: v.subarray(lay.W, lay.Bx),
        Bx: v.subarray(lay.Bx, lay.C),
        C: v.subarray(lay.C, lay.d),
        ...(a.biasY ? { d: v.subarray(lay.d, lay.x0) } : {}),
      });
      g.fill(0);
      const p = { ...view(params), x0: params.subarray(lay.x0, lay.size) };
      return rnnLossGradSimd(wasm, a, p, laneBatch(a, part, den), view(g));
    }
    case 'lstm': {
      const a = { ...job.attrs, B: part.B };
      const wasm = lstmSimd(job.relaxed) ?? noSimd('LSTM');
      const lay = lstmStepLayout(a);
      const view = (v: Float32Array) => ({
        Win: v.subarray(lay.Win, lay.Wh),
        Wh: v.subarray(lay.Wh, lay.bias),
        bias: v.subarray(lay.bias, lay.C),
        C: v.subarray(lay.C, lay.h0),
      });
      g.fill(0);
      const p = {
        ...view(params),
        h0: params.subarray(lay.h0, lay.c0),
        c0: params.subarray(lay.c0, lay.size),
      };
      return lstmLossGradSimd(wasm, a, p, laneBatch(a, part, den), view(g));
    }
    default:
      // Jobs arrive as JSON on helper threads: say so rather than return nothing.
      throw new Error(`unknown step kind "${(job as { kind: string }).kind}"`);
  }
}

function laneBatch(
  a: { B: number; T: number; U: number; O: number },
  part: StepBatch,
  den: number,
): LaneBatch {
  return { ...a, u: part.u, targets: part.targets, mask: part.mask, den };
}

/**
 * Trial ranges of `parts` nearly equal parts of B trials, each a multiple of four where it can be
 * (the lane kernels fill four trials per SIMD vector), none empty.
 */
export function splitTrials(B: number, parts: number): [number, number][] {
  const quads = Math.ceil(B / 4);
  const n = Math.max(1, Math.min(parts, quads));
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = Math.min(B, Math.round(((i + 1) * quads) / n) * 4);
    out.push([from, i === n - 1 ? B : to]);
    from = to;
  }
  return out;
}

/** Fewest trials worth sending to another thread (below this the hand-over costs more). */
const MIN_TRIALS_PER_PART = 8;

/**
 * The whole step: the loss, with the packed gradient written into `g`. Split over the registered
 * step threads when there are some and the batch is big enough, else in one part here.
 */
export function runStep(
  job: StepJob,
  params: Float32Array,
  batch: StepBatch,
  dims: { T: number; U: number; O: number },
  g: Float32Array,
): number {
  const den = maskedMseDenominator(batch.mask, dims.O);
  const pool = getStepThreads();
  const want = pool ? Math.min(pool.size + 1, Math.floor(batch.B / MIN_TRIALS_PER_PART)) : 1;
  if (!pool || want < 2) return runStepPart(job, params, batch, den, g);
  const { T, U, O } = dims;
  const ranges = splitTrials(batch.B, want);
  // A helper's mailbox holds its parameters, its trials' data and its gradient; a batch too big for
  // the mailboxes stays on this thread.
  const most = Math.max(...ranges.map(([from, to]) => to - from));
  if (!pool.fits(2 * params.length + most * T * (U + O + 1)))
    return runStepPart(job, params, batch, den, g);
  const slice = ([from, to]: [number, number]): StepBatch => ({
    B: to - from,
    u: batch.u.subarray(from * T * U, to * T * U),
    targets: batch.targets.subarray(from * T * O, to * T * O),
    mask: batch.mask.subarray(from * T, to * T),
  });
  const [first, ...rest] = ranges.map(slice);
  pool.start(rest.map((part) => ({ job, params, part, den })));
  let loss = 0;
  let failure: unknown;
  try {
    loss = runStepPart(job, params, first, den, g);
  } catch (e) {
    failure = e;
  }
  // Collected even when this part failed, so every mailbox is free for the next step.
  const results = pool.finish();
  if (failure !== undefined) throw failure;
  for (const r of results) {
    loss += r.loss;
    for (let i = 0; i < g.length; i++) g[i] += r.grad[i];
  }
  return loss;
}
