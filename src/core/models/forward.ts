/**
 * One forward pass per model kind: the parts that are parallel over time (input projections for all
 * T steps in one matMul, L̃, the readout y = C x + d) around a scan, which is either the reference
 * recurrence or a registered fused kernel with the same signature. Scans also get the drives'
 * factors (inputs and weights), from which the reference forms each step's drive more cheaply
 * than by splitting the projected drive. A fused NM-RNN / low-rank scan with a `factored` entry
 * goes further: it takes the inputs and the readout weights, so neither the [B, T, N] drives nor
 * the readout are computed here (nor their gradients by autodiff).
 */
import * as tf from '@tensorflow/tfjs';
import { ablationArrays, isIdentityAblation } from './ablation';
import { orthonormalizeColumns } from './orthonormalize';
import { getFusedOrthonormalize } from './fusedRegistry';
import { nmrnnScanReference } from './referenceScans';
import type { NmrnnFactoredScanFn, NmrnnScanSettings, ScanFns } from './scanTypes';
import type { ForwardOptions, ModelConfig, ModelKind, Params, Trajectories } from './types';

export interface RawForward {
  y: tf.Tensor3D;
  states: Trajectories;
}

/** inputs [B, T, U'] times W [P, U'] for every step: [B, T, P]. */
function project(inputs: tf.Tensor3D, W: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor3D {
  const [B, T, Uin] = inputs.shape;
  // W transposed first (a small tensor): tfjs-wasm's matMul with transposeB is several times slower
  // than the plain product at these skinny shapes (measured 4.0 vs 0.5 ms for [4400×3]·[3×60]).
  let flat = tf.matMul(tf.reshape(inputs, [B * T, Uin]), tf.transpose(W));
  if (bias) flat = tf.add(flat, bias);
  return tf.reshape(flat, [B, T, W.shape[0]]);
}

/** y = C h + d for every step of states [B, T, N]. */
function readout(states: tf.Tensor3D, C: tf.Tensor2D, d?: tf.Tensor1D): tf.Tensor3D {
  return project(states, C, d);
}

const p2 = (params: Params, name: string): tf.Tensor2D => params[name] as tf.Tensor2D;
const p1 = (params: Params, name: string): tf.Tensor1D => params[name] as tf.Tensor1D;
const opt1 = (params: Params, name: string): tf.Tensor1D | undefined =>
  params[name] as tf.Tensor1D | undefined;

/**
 * The scan settings of an NM-RNN / LR-RNN config (both entries of a scan get the same, and so does
 * the fused training step).
 */
export function scanSettings(c: ModelConfig): NmrnnScanSettings {
  return {
    tauX: c.tauX,
    tauZ: c.tauZ,
    scale: c.recurrentScale === 'invN' ? 1 / c.N : 1,
    ...(c.activation === 'linear' ? { linear: true } : {}),
  };
}

/** The vanilla RNN's scan settings (τ and the 1/N scale of W φ(x); the fused training step too). */
export function rnnScanSettings(c: ModelConfig): { tau: number; scale: number } {
  return { tau: c.tauX, scale: 1 / c.N };
}

function lowRankForward(
  c: ModelConfig,
  params: Params,
  inputs: tf.Tensor3D,
  opts: ForwardOptions,
  scan: ScanFns['nmrnn'],
): RawForward {
  const [B, T, U] = inputs.shape;
  const isNm = c.kind === 'nmrnn';
  // The fused path takes L̃ from its kernel where the backend has one; the reference keeps the ops.
  const fusedQ = scan === nmrnnScanReference ? undefined : getFusedOrthonormalize(tf.getBackend());
  const L = p2(params, 'L');
  const Lt = !c.orthonormalize ? L : fusedQ ? fusedQ(L) : orthonormalizeColumns(L);
  const whole = scan.factored ? factoredLowRank(c, params, inputs, opts, Lt, scan.factored) : null;
  if (whole) return whole;
  // The context NM-RNN's trailing (context) channels reach z only (docs/SCIENCE.md §1.2).
  const inX = isNm && c.Ux < U ? tf.slice(inputs, [0, 0, 0], [B, T, c.Ux]) : inputs;
  const driveX = project(inX, p2(params, 'Bx'));
  const factorsX = { u: inX, W: p2(params, 'Bx') };
  const settings = scanSettings(c);
  const base = { Lt, V: c.symmetric ? Lt : p2(params, 'V'), x0: p1(params, 'x0') };

  if (!isNm) {
    // No s to ablate: the LR-RNN ignores opts.ablation (its s ≡ 1 by definition).
    const { x } = scan(base, { driveX, factors: { x: factorsX } }, settings);
    const y = readout(x, p2(params, 'C'), opt1(params, 'd'));
    return { y, states: opts.record ? { x } : {} };
  }

  const bzx = c.feedback ? p1(params, 'bzx') : undefined;
  const driveZ = project(inputs, p2(params, 'Bz'), bzx);
  const factors = { x: factorsX, z: { u: inputs, W: p2(params, 'Bz'), b: bzx } };
  const nm = {
    Wz: p2(params, 'Wz'),
    Az: p2(params, 'Az'),
    bz: p1(params, 'bz'),
    z0: p1(params, 'z0'),
    ...(c.feedback ? { Wzx: p2(params, 'Wzx') } : {}),
  };
  const ab = ablationArrays(opts.ablation, inputs.shape[0], T, c.R, opts.trialCues);
  const drives = isIdentityAblation(ab)
    ? { driveX, driveZ, factors }
    : { driveX, driveZ, factors, ablation: ab };
  const { x, z, s } = scan({ ...base, nm }, drives, settings);
  const y = readout(x, p2(params, 'C'), opt1(params, 'd'));
  if (!opts.record || !z || !s) return { y, states: {} };
  return { y, states: { x, z, s } };
}

/** lowRankForward through a scan's factored entry; null where that entry cannot run. */
function factoredLowRank(
  c: ModelConfig,
  params: Params,
  inputs: tf.Tensor3D,
  opts: ForwardOptions,
  Lt: tf.Tensor2D,
  scan: NmrnnFactoredScanFn,
): RawForward | null {
  const T = inputs.shape[1];
  const isNm = c.kind === 'nmrnn';
  const settings = scanSettings(c);
  const base = { Lt, V: c.symmetric ? Lt : p2(params, 'V'), x0: p1(params, 'x0') };
  const readout = { C: p2(params, 'C'), d: opt1(params, 'd') };
  const Ux = isNm ? c.Ux : inputs.shape[2];
  const Bx = p2(params, 'Bx');
  if (!isNm) {
    // No s to ablate: the LR-RNN ignores opts.ablation (its s ≡ 1 by definition).
    const r = scan(base, { u: inputs, Ux, Bx }, settings, readout);
    return r ? { y: r.y, states: opts.record ? { x: r.x } : {} } : null;
  }
  const nm = {
    Wz: p2(params, 'Wz'),
    Az: p2(params, 'Az'),
    bz: p1(params, 'bz'),
    z0: p1(params, 'z0'),
    ...(c.feedback ? { Wzx: p2(params, 'Wzx') } : {}),
  };
  const ab = ablationArrays(opts.ablation, inputs.shape[0], T, c.R, opts.trialCues);
  const drives = {
    u: inputs,
    Ux,
    Bx,
    Bz: p2(params, 'Bz'),
    bzx: c.feedback ? p1(params, 'bzx') : undefined,
    ...(isIdentityAblation(ab) ? {} : { ablation: ab }),
  };
  const r = scan({ ...base, nm }, drives, settings, readout);
  if (!r) return null;
  if (!opts.record || !r.z || !r.s) return { y: r.y, states: {} };
  return { y: r.y, states: { x: r.x, z: r.z, s: r.s } };
}

function rnnForward(
  c: ModelConfig,
  params: Params,
  inputs: tf.Tensor3D,
  opts: ForwardOptions,
  scan: ScanFns['rnn'],
): RawForward {
  const Bx = p2(params, 'Bx');
  const { x } = scan(
    { W: p2(params, 'W'), x0: p1(params, 'x0') },
    project(inputs, Bx),
    rnnScanSettings(c),
    { u: inputs, W: Bx },
  );
  const y = readout(x, p2(params, 'C'), opt1(params, 'd'));
  return { y, states: opts.record ? { x } : {} };
}

const GATES = ['i', 'f', 'g', 'o'];

function lstmForward(
  params: Params,
  inputs: tf.Tensor3D,
  opts: ForwardOptions,
  scan: ScanFns['lstm'],
): RawForward {
  const Win = tf.concat(
    GATES.map((g) => params[`W${g}`]),
    0,
  ) as tf.Tensor2D;
  const bias = tf.concat(
    GATES.map((g) => params[`b${g}`]),
    0,
  ) as tf.Tensor1D;
  const Wh = tf.concat(
    GATES.map((g) => params[`U${g}`]),
    0,
  ) as tf.Tensor2D;
  const drive = project(inputs, Win, bias);
  const record = opts.record === true;
  const { h, c, gates } = scan(
    { Wh, h0: p1(params, 'h0'), c0: p1(params, 'c0') },
    drive,
    { recordGates: record },
    { u: inputs, W: Win, b: bias },
  );
  const y = readout(h, p2(params, 'C'));
  if (!record) return { y, states: {} };
  return { y, states: gates ? { h, c, gates } : { h, c } };
}

/** The forward pass of `c.kind` with the given scan. Call inside tf.tidy (Model.forward does). */
export function forwardWith<K extends ModelKind>(
  c: ModelConfig & { kind: K },
  params: Params,
  inputs: tf.Tensor3D,
  opts: ForwardOptions,
  scan: ScanFns[K],
): RawForward {
  // Each branch narrows `c.kind`, which fixes which ScanFns member `scan` is; TypeScript cannot
  // follow that correlation through the generic, hence the casts.
  switch (c.kind) {
    case 'nmrnn':
    case 'lrrnn':
      return lowRankForward(c, params, inputs, opts, scan as ScanFns['nmrnn']);
    case 'rnn':
      return rnnForward(c, params, inputs, opts, scan as ScanFns['rnn']);
    case 'lstm':
      return lstmForward(params, inputs, opts, scan as ScanFns['lstm']);
  }
  throw new Error(`unknown model kind ${String(c.kind)}`);
}
