import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rnnSimd, setRnnSimdEnabled } from '../../src/core/kernels/simd/rnnSimd';
import { lstmSimd, setLstmSimdEnabled } from '../../src/core/kernels/simd/lstmSimd';
import type { LstmScanAttrs, RnnScanAttrs } from '../../src/core/kernels/attrs';
import { lstmLayout, rnnLayout } from '../../src/core/kernels/layout';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { lstmScan, rnnScan } from '../../src/core/kernels/rnnOp';
import { Rng } from '../../src/core/random';
import { lstmOracle, randn, relMaxDiff, rnnOracle } from './kernels.oracle';

beforeAll(() => registerFusedKernels());

// wasm shares the cpu loops but reads and writes the WebAssembly heap in place: test both.
for (const backend of ['cpu', 'wasm']) {
  describe(backend, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    // The SIMD build (trials in lanes) and the TypeScript fallback must both match the oracle.
    for (const simd of [true, false])
      describe(`fused vanilla RNN scan (${simd ? 'SIMD' : 'scalar'}) vs op-by-op oracle`, () => {
        const shapes: RnnScanAttrs[] = [
          { B: 3, T: 10, N: 6, tau: 3, scale: 1 / 6 },
          { B: 1, T: 17, N: 9, tau: 2, scale: 1 },
          { B: 8, T: 12, N: 31, tau: 10, scale: 1 / 31 },
          // 24 lanes: one pass of four lane groups, then two single groups.
          { B: 21, T: 6, N: 7, tau: 4, scale: 1 / 7 },
        ];
        beforeAll(() => setRnnSimdEnabled(simd));
        afterAll(() => setRnnSimdEnabled(true));
        if (simd) it('the SIMD module loads here', () => expect(rnnSimd()).not.toBeNull());
        for (const a of shapes) {
          it(`B${a.B} T${a.T} N${a.N}`, () => {
            const rng = new Rng(11);
            const driveX = randn(rng, [a.B, a.T, a.N]) as tf.Tensor3D;
            const params = randn(rng, [rnnLayout(a.N).size]) as tf.Tensor1D;
            const w = randn(rng, [a.B, a.T, a.N]);
            expect(
              relMaxDiff(rnnScan({ driveX, params }, a), rnnOracle(a, driveX, params)),
            ).toBeLessThan(1e-5);
            const grads = (fn: (d: tf.Tensor3D, p: tf.Tensor1D) => tf.Tensor) =>
              tf.grads((d: tf.Tensor, p: tf.Tensor) =>
                tf.sum(tf.mul(fn(d as tf.Tensor3D, p as tf.Tensor1D), w)),
              )([driveX, params]);
            const gF = grads((d, p) => rnnScan({ driveX: d, params: p }, a));
            const gR = grads((d, p) => rnnOracle(a, d, p));
            expect(relMaxDiff(gF[0], gR[0])).toBeLessThan(1e-4);
            expect(relMaxDiff(gF[1], gR[1])).toBeLessThan(1e-4);
          });
        }
      });

    for (const simd of [true, false])
      describe(`fused LSTM scan (${simd ? 'SIMD' : 'scalar'}) vs op-by-op oracle`, () => {
        const shapes: LstmScanAttrs[] = [
          { B: 3, T: 10, N: 5 },
          { B: 2, T: 14, N: 8 },
          { B: 8, T: 12, N: 15 },
          { B: 21, T: 6, N: 5 },
        ];
        beforeAll(() => setLstmSimdEnabled(simd));
        afterAll(() => setLstmSimdEnabled(true));
        if (simd) it('the SIMD module loads here', () => expect(lstmSimd()).not.toBeNull());
        for (const a of shapes) {
          it(`B${a.B} T${a.T} N${a.N}`, () => {
            const rng = new Rng(23);
            const drive = randn(rng, [a.B, a.T, 4 * a.N]) as tf.Tensor3D;
            const params = randn(rng, [lstmLayout(a.N).size], 0.7) as tf.Tensor1D;
            const wh = randn(rng, [a.B, a.T, a.N]);
            const wc = randn(rng, [a.B, a.T, a.N]);
            const wg = randn(rng, [a.B, a.T, 4 * a.N]);
            const fused = lstmScan({ drive, params }, a);
            const ref = lstmOracle(a, drive, params);
            expect(relMaxDiff(fused.h, ref.h)).toBeLessThan(1e-5);
            expect(relMaxDiff(fused.c, ref.c)).toBeLessThan(1e-5);
            expect(relMaxDiff(fused.gates, ref.gates)).toBeLessThan(1e-5);
            const loss = (o: { h: tf.Tensor; c: tf.Tensor; gates: tf.Tensor }) =>
              tf.addN([
                tf.sum(tf.mul(o.h, wh)),
                tf.sum(tf.mul(o.c, wc)),
                tf.sum(tf.mul(o.gates, wg)),
              ]);
            const grads = (fn: (d: tf.Tensor3D, p: tf.Tensor1D) => tf.Tensor) =>
              tf.grads((d: tf.Tensor, p: tf.Tensor) => fn(d as tf.Tensor3D, p as tf.Tensor1D))([
                drive,
                params,
              ]);
            const gF = grads((d, p) => loss(lstmScan({ drive: d, params: p }, a)));
            const gR = grads((d, p) => loss(lstmOracle(a, d, p)));
            expect(relMaxDiff(gF[0], gR[0])).toBeLessThan(1e-4);
            const lay = lstmLayout(a.N);
            const parts: [string, number, number][] = [
              ['Wh', lay.Wh, lay.h0],
              ['h0', lay.h0, lay.c0],
              ['c0', lay.c0, lay.size],
            ];
            for (const [name, from, to] of parts) {
              expect(
                relMaxDiff(gF[1].slice(from, to - from), gR[1].slice(from, to - from)),
                name,
              ).toBeLessThan(1e-4);
            }
          });
        }
      });
  });
}
