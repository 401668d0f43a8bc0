/**
 * The cpu/wasm kernel functions of the vanilla-RNN and LSTM scans.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LstmScanAttrs, RnnScanAttrs } from '../attrs';
import { lstmLayout, rnnLayout } from '../layout';
import { withHostMemory, type HostMemory } from './hostIO';
import { lstmBackward, lstmForward } from './lstmScan';
import { rnnBackward, rnnForward } from './rnnScan';
import { rnnBackwardSimd, rnnForwardSimd, rnnSimd } from '../simd/rnnSimd';
import { lstmBackwardSimd, lstmForwardSimd, lstmSimd } from '../simd/lstmSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function reader(args: KernelArgs, mem: HostMemory): (name: string) => Float32Array {
  return (name) => {
    const t = args.inputs[name];
    if (!t) throw new Error(`fused scan: missing input ${name}`);
    return mem.f32(t);
  };
}

/** Single output, returned bare so runKernel returns a single tensor. */
export function rnnForwardKernel(args: KernelArgs): tf.TensorInfo {
  const a = args.attrs as unknown as RnnScanAttrs;
  const [out] = withHostMemory(args.backend, [[a.B, a.T, a.N]], (mem, [x]) => {
    const f = reader(args, mem);
    const inp = { driveX: f('driveX'), params: f('params') };
    const simd = rnnSimd();
    if (simd) rnnForwardSimd(simd, a, inp, mem.f32(x));
    else rnnForward(a, inp, mem.f32(x));
  });
  return out;
}

export function rnnBackwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as RnnScanAttrs;
  return withHostMemory(args.backend, [[a.B, a.T, a.N], [rnnLayout(a.N).size]], (mem, [gX, gP]) => {
    const f = reader(args, mem);
    const inp = { params: f('params'), x: f('x'), dx: f('dx') };
    const out = { driveX: mem.f32(gX), params: mem.f32(gP) };
    const simd = rnnSimd();
    if (simd) rnnBackwardSimd(simd, a, inp, out);
    else rnnBackward(a, inp, out);
  });
}

export function lstmForwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as LstmScanAttrs;
  const { B, T, N } = a;
  return withHostMemory(
    args.backend,
    [
      [B, T, N],
      [B, T, N],
      [B, T, 4 * N],
    ],
    (mem, [h, c, gates]) => {
      const f = reader(args, mem);
      const inp = { drive: f('drive'), params: f('params') };
      const out = { h: mem.f32(h), c: mem.f32(c), gates: mem.f32(gates) };
      const simd = lstmSimd();
      if (simd) lstmForwardSimd(simd, a, inp, out);
      else lstmForward(a, inp, out);
    },
  );
}

export function lstmBackwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as LstmScanAttrs;
  return withHostMemory(
    args.backend,
    [[a.B, a.T, 4 * a.N], [lstmLayout(a.N).size]],
    (mem, [gD, gP]) => {
      const f = reader(args, mem);
      const inp = {
        params: f('params'),
        traj: { h: f('h'), c: f('c'), gates: f('gates') },
        grad: { h: f('dh'), c: f('dc'), gates: f('dgates') },
      };
      const out = { drive: mem.f32(gD), params: mem.f32(gP) };
      const simd = lstmSimd();
      if (simd) lstmBackwardSimd(simd, a, inp, out);
      else lstmBackward(a, inp, out);
    },
  );
}
