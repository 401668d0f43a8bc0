/**
 * The fused training steps of the vanilla RNN and the LSTM on the host backends: parameters by name
 * and a batch in, the masked MSE and the gradient of each of attrs.outputs out, through the SIMD
 * modules' whole-step functions (simd/laneTrainSimd.ts). Registered only where those modules load;
 * elsewhere the trainer differentiates Model.forward (kernels/lossGradOp.ts decides).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LstmLossGradAttrs, RnnLossGradAttrs } from '../attrs';
import { withHostMemory, type HostMemory } from './hostIO';
import { rnnSimd } from '../simd/rnnSimd';
import { lstmSimd } from '../simd/lstmSimd';
import { lstmLossGradSimd, rnnLossGradSimd, type LaneBatch } from '../simd/laneTrainSimd';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const GATES = ['i', 'f', 'g', 'o'] as const;

function tensorInput(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`fused training step: missing input ${name}`);
  return t;
}

function batchOf(
  args: KernelArgs,
  mem: HostMemory,
  a: { B: number; T: number; U: number; O: number },
): LaneBatch {
  const f = (name: string) => mem.f32(tensorInput(args, name));
  return { B: a.B, T: a.T, U: a.U, O: a.O, u: f('u'), targets: f('targets'), mask: f('mask') };
}

/** Output shapes: the loss (a scalar), then each requested parameter's own shape. */
function outputShapes(args: KernelArgs, outputs: string[]): number[][] {
  return [[], ...outputs.map((name) => tensorInput(args, name).shape)];
}

/** Copies the gradient `byName[name]` into each output after the loss. */
function writeGrads(
  mem: HostMemory,
  infos: tf.TensorInfo[],
  outputs: string[],
  byName: Record<string, Float32Array>,
): void {
  outputs.forEach((name, i) => {
    const g = byName[name];
    if (!g) throw new Error(`fused training step: no gradient for "${name}"`);
    mem.f32(infos[i]).set(g);
  });
}

export function rnnLossGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as RnnLossGradAttrs;
  const wasm = rnnSimd();
  if (!wasm) throw new Error('fused RNN training step: WebAssembly SIMD is unavailable');
  return withHostMemory(args.backend, outputShapes(args, a.outputs), (mem, [loss, ...grads]) => {
    const f = (name: string) => mem.f32(tensorInput(args, name));
    const hasBias = args.inputs.d !== undefined;
    const { N, U, O } = a;
    const g = {
      W: new Float32Array(N * N),
      Bx: new Float32Array(N * U),
      C: new Float32Array(O * N),
      ...(hasBias ? { d: new Float32Array(O) } : {}),
    };
    const p = {
      ...{ W: f('W'), Bx: f('Bx'), C: f('C'), x0: f('x0') },
      ...(hasBias ? { d: f('d') } : {}),
    };
    mem.f32(loss)[0] = rnnLossGradSimd(wasm, a, p, batchOf(args, mem, a), g);
    writeGrads(mem, grads, a.outputs, g);
  });
}

/** Row-major blocks stacked in gate order (the LSTM kernels' Win, Wh and bias). */
function stack(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function lstmLossGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as LstmLossGradAttrs;
  const wasm = lstmSimd();
  if (!wasm) throw new Error('fused LSTM training step: WebAssembly SIMD is unavailable');
  return withHostMemory(args.backend, outputShapes(args, a.outputs), (mem, [loss, ...grads]) => {
    const f = (name: string) => mem.f32(tensorInput(args, name));
    const { N, U, O } = a;
    const p = {
      Win: stack(GATES.map((q) => f(`W${q}`))),
      Wh: stack(GATES.map((q) => f(`U${q}`))),
      bias: stack(GATES.map((q) => f(`b${q}`))),
      C: f('C'),
      h0: f('h0'),
      c0: f('c0'),
    };
    const g = {
      Win: new Float32Array(4 * N * U),
      Wh: new Float32Array(4 * N * N),
      bias: new Float32Array(4 * N),
      C: new Float32Array(O * N),
    };
    mem.f32(loss)[0] = lstmLossGradSimd(wasm, a, p, batchOf(args, mem, a), g);
    const byName: Record<string, Float32Array> = { C: g.C };
    GATES.forEach((q, k) => {
      byName[`W${q}`] = g.Win.subarray(k * N * U, (k + 1) * N * U);
      byName[`U${q}`] = g.Wh.subarray(k * N * N, (k + 1) * N * N);
      byName[`b${q}`] = g.bias.subarray(k * N, (k + 1) * N);
    });
    writeGrads(mem, grads, a.outputs, byName);
  });
}
