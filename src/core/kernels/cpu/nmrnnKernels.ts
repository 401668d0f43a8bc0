/**
 * The cpu/wasm kernel functions of the NM-RNN and low-rank RNN scans: unpack TensorInfos into
 * Float32Arrays and run the loops of nmrnnScan.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NmrnnScanAttrs, NmrnnScanUAttrs } from '../attrs';
import { nmrnnFactoredLayout, nmrnnLayout } from '../layout';
import { withHostMemory, type HostMemory } from './hostIO';
import { nmrnnBackwardFactored, nmrnnForwardFactored } from './nmrnnFactors';
import { nmrnnBackwardSimd, nmrnnForwardSimd, nmrnnSimd } from '../simd/nmrnnSimd';
import {
  nmrnnBackward as nmrnnBackwardLoops,
  nmrnnForward as nmrnnForwardLoops,
  type NmrnnBackwardInputs,
  type NmrnnForwardInputs,
  type NmrnnGradients,
  type NmrnnTrajectories,
} from './nmrnnScan';

/** WebAssembly SIMD where the runtime has it, else the TypeScript loops. */
function nmrnnForward(a: NmrnnScanAttrs, inp: NmrnnForwardInputs, out: NmrnnTrajectories): void {
  const wasm = nmrnnSimd();
  if (wasm) nmrnnForwardSimd(wasm, a, inp, out);
  else nmrnnForwardLoops(a, inp, out);
}

function nmrnnBackward(a: NmrnnScanAttrs, inp: NmrnnBackwardInputs, out: NmrnnGradients): void {
  const wasm = nmrnnSimd();
  if (wasm) nmrnnBackwardSimd(wasm, a, inp, out);
  else nmrnnBackwardLoops(a, inp, out);
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

const EMPTY = new Float32Array(0);

function attrsOf(args: KernelArgs): NmrnnScanAttrs {
  return args.attrs as unknown as NmrnnScanAttrs;
}

function input(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`fused scan: missing input ${name}`);
  return t;
}

export function nmrnnForwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = attrsOf(args);
  const { B, T, N, M, R } = a;
  return withHostMemory(
    args.backend,
    [
      [B, T, N],
      [B, T, M],
      [B, T, R],
    ],
    (mem, [x, z, s]) => {
      nmrnnForward(
        a,
        {
          driveX: mem.f32(input(args, 'driveX')),
          driveZ: mem.f32(input(args, 'driveZ')),
          params: mem.f32(input(args, 'params')),
          mul: mem.f32(input(args, 'mul')),
          add: mem.f32(input(args, 'add')),
        },
        { x: mem.f32(x), z: mem.f32(z), s: mem.f32(s) },
      );
    },
  );
}

export function nmrnnBackwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = attrsOf(args);
  const { B, T, N, M } = a;
  return withHostMemory(
    args.backend,
    [[B, T, N], [B, T, M], [nmrnnLayout(a).size]],
    (mem, [gX, gZ, gP]) => {
      const f = (name: string) => mem.f32(input(args, name));
      nmrnnBackward(
        a,
        {
          params: f('params'),
          mul: f('mul'),
          add: f('add'),
          traj: { x: f('x'), z: f('z'), s: f('s') },
          grad: { x: f('dx'), z: f('dz'), s: f('ds') },
        },
        { driveX: mem.f32(gX), driveZ: mem.f32(gZ), params: mem.f32(gP) },
      );
    },
  );
}

/** Returns a single TensorInfo (not a one-element array) so runKernel returns a single tensor. */
export function lowRankForwardKernel(args: KernelArgs): tf.TensorInfo {
  const a = attrsOf(args);
  const [out] = withHostMemory(args.backend, [[a.B, a.T, a.N]], (mem, [x]) => {
    nmrnnForward(
      a,
      {
        driveX: mem.f32(input(args, 'driveX')),
        driveZ: EMPTY,
        params: mem.f32(input(args, 'params')),
        mul: EMPTY,
        add: EMPTY,
      },
      { x: mem.f32(x), z: EMPTY, s: EMPTY },
    );
  });
  return out;
}

export function lowRankBackwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = attrsOf(args);
  return withHostMemory(args.backend, [[a.B, a.T, a.N], [nmrnnLayout(a).size]], (mem, [gX, gP]) => {
    const f = (name: string) => mem.f32(input(args, name));
    nmrnnBackward(
      a,
      {
        params: f('params'),
        mul: EMPTY,
        add: EMPTY,
        traj: { x: f('x'), z: EMPTY, s: EMPTY },
        grad: { x: f('dx'), z: EMPTY, s: EMPTY },
      },
      { driveX: mem.f32(gX), driveZ: EMPTY, params: mem.f32(gP) },
    );
  });
}

/** A view of `info`, or an empty array for a zero-sized tensor (the low-rank RNN's z and s). */
function f32(mem: HostMemory, info: tf.TensorInfo): Float32Array {
  return info.shape.some((d) => d === 0) ? EMPTY : mem.f32(info);
}

/** The factored scan (NMRNN_SCAN_U): outputs y, x, z, s (z and s zero-sized when M = 0). */
export function nmrnnFactoredForwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as NmrnnScanUAttrs;
  const { B, T, N, M, R, O } = a;
  const shapes = [
    [B, T, O],
    [B, T, N],
    [B, T, M],
    [B, T, M > 0 ? R : 0],
  ];
  return withHostMemory(args.backend, shapes, (mem, [y, x, z, s]) => {
    const inp = {
      u: f32(mem, input(args, 'u')),
      params: mem.f32(input(args, 'params')),
      mul: f32(mem, input(args, 'mul')),
      add: f32(mem, input(args, 'add')),
    };
    const out = { y: f32(mem, y), x: mem.f32(x), z: f32(mem, z), s: f32(mem, s) };
    const wasm = nmrnnSimd();
    if (wasm) nmrnnForwardSimd(wasm, a, inp, out);
    else nmrnnForwardFactored(a, inp, out);
  });
}

/** dL/d(packed params, nmrnnFactoredLayout) of the factored scan; no gradient for u (data). */
export function nmrnnFactoredBackwardKernel(args: KernelArgs): tf.TensorInfo {
  const a = args.attrs as unknown as NmrnnScanUAttrs;
  const [out] = withHostMemory(args.backend, [[nmrnnFactoredLayout(a).size]], (mem, [gP]) => {
    const f = (name: string) => f32(mem, input(args, name));
    const inp = {
      u: f('u'),
      params: f('params'),
      mul: f('mul'),
      traj: { x: f('x'), z: f('z'), s: f('s') },
      grad: { x: f('dx'), z: f('dz'), s: f('ds'), y: f('dy') },
    };
    const wasm = nmrnnSimd();
    if (wasm) nmrnnBackwardSimd(wasm, a, inp, { params: mem.f32(gP) });
    else nmrnnBackwardFactored(a, inp, mem.f32(gP));
  });
  return out;
}
