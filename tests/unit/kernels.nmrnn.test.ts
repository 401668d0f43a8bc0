import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NmrnnScanAttrs } from '../../src/core/kernels/attrs';
import { nmrnnLayout } from '../../src/core/kernels/layout';
import { lowRankScan, nmrnnScan } from '../../src/core/kernels/nmrnnOp';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { Rng } from '../../src/core/random';
import { nmrnnSimdEnabled, setNmrnnSimdEnabled } from '../../src/core/kernels/simd/nmrnnSimd';
import { nmrnnOracle, randn, relMaxDiff } from './kernels.oracle';
import { BACKEND_SIMD_COMBOS } from './kernels.cases';

beforeAll(() => registerFusedKernels());

const combos = BACKEND_SIMD_COMBOS;
for (const [backend, simd] of combos) {
  describe(`${backend}, ${simd ? 'SIMD' : 'TypeScript loops'}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      setNmrnnSimdEnabled(simd);
      expect(nmrnnSimdEnabled()).toBe(simd);
    });
    afterAll(() => setNmrnnSimdEnabled(true));

    interface Case {
      name: string;
      attrs: NmrnnScanAttrs;
      /** Ablation: component, mul, add, window; `shift` moves the window by b·shift in trial b. */
      ablate?: { k: number; mul: number; add: number; t0: number; t1: number; shift?: number }[];
    }

    const base = { B: 3, T: 9, N: 7, R: 2, M: 4, tauX: 3, tauZ: 5, scale: 1, feedback: false };
    const cases: Case[] = [
      { name: 'plain', attrs: base },
      { name: 'feedback, 1/N scale', attrs: { ...base, feedback: true, scale: 1 / 7, R: 3, M: 3 } },
      {
        name: 'clamp and scale ablation in windows',
        attrs: { ...base, B: 2, T: 12, N: 5, R: 3 },
        ablate: [
          { k: 0, mul: 0, add: 0, t0: 0, t1: 12 },
          { k: 2, mul: 1.7, add: 0, t0: 3, t1: 8 },
        ],
      },
      {
        // A window that follows a cue sits at a different step in every trial.
        name: 'a window at a different step in each trial',
        attrs: { ...base, B: 3, T: 12, N: 5, R: 2 },
        ablate: [{ k: 1, mul: 0, add: 0.3, t0: 2, t1: 5, shift: 3 }],
      },
      { name: 'rank 1, one trial', attrs: { ...base, B: 1, R: 1, M: 2, N: 4, T: 15, tauX: 2 } },
    ];

    function ablationArrays(c: Case): { mul: tf.Tensor3D; add: tf.Tensor3D } {
      const { B, T, R } = c.attrs;
      const mul = new Float32Array(B * T * R).fill(1);
      const add = new Float32Array(B * T * R);
      for (const ab of c.ablate ?? []) {
        for (let b = 0; b < B; b++) {
          const shift = b * (ab.shift ?? 0);
          for (let t = ab.t0 + shift; t < Math.min(T, ab.t1 + shift); t++) {
            mul[(b * T + t) * R + ab.k] = ab.mul;
            add[(b * T + t) * R + ab.k] = ab.add;
          }
        }
      }
      return { mul: tf.tensor3d(mul, [B, T, R]), add: tf.tensor3d(add, [B, T, R]) };
    }

    describe('fused NM-RNN scan vs op-by-op oracle', () => {
      for (const c of cases) {
        it(c.name, () => {
          const a = c.attrs;
          const { B, T, N, R, M } = a;
          const rng = new Rng(17);
          const driveX = randn(rng, [B, T, N]) as tf.Tensor3D;
          const driveZ = randn(rng, [B, T, M]) as tf.Tensor3D;
          const params = randn(rng, [nmrnnLayout(a).size], 0.8) as tf.Tensor1D;
          const { mul, add } = ablationArrays(c);
          const wx = randn(rng, [B, T, N]);
          const wz = randn(rng, [B, T, M]);
          const ws = randn(rng, [B, T, R]);

          const fused = nmrnnScan({ driveX, driveZ, params, mul, add }, a);
          const ref = nmrnnOracle(a, driveX, driveZ, params, mul, add);
          expect(relMaxDiff(fused.x, ref.x)).toBeLessThan(1e-5);
          expect(relMaxDiff(fused.z, ref.z!)).toBeLessThan(1e-5);
          expect(relMaxDiff(fused.s, ref.s!)).toBeLessThan(1e-5);

          const loss = (o: { x: tf.Tensor; z?: tf.Tensor; s?: tf.Tensor }) =>
            tf.addN([tf.sum(tf.mul(o.x, wx)), tf.sum(tf.mul(o.z!, wz)), tf.sum(tf.mul(o.s!, ws))]);
          const gF = tf.grads((dx: tf.Tensor, dz: tf.Tensor, p: tf.Tensor) =>
            loss(
              nmrnnScan(
                {
                  driveX: dx as tf.Tensor3D,
                  driveZ: dz as tf.Tensor3D,
                  params: p as tf.Tensor1D,
                  mul,
                  add,
                },
                a,
              ),
            ),
          )([driveX, driveZ, params]);
          const gR = tf.grads((dx: tf.Tensor, dz: tf.Tensor, p: tf.Tensor) =>
            loss(nmrnnOracle(a, dx as tf.Tensor3D, dz as tf.Tensor3D, p as tf.Tensor1D, mul, add)),
          )([driveX, driveZ, params]);
          for (let i = 0; i < 3; i++) expect(relMaxDiff(gF[i], gR[i])).toBeLessThan(1e-4);
          // Per parameter block too, so a small block's error is not hidden by a large one's scale.
          const lay = nmrnnLayout(a);
          const blocks = Object.entries(lay).filter(([k]) => k !== 'size');
          const ends = blocks.map((_, i) => (i + 1 < blocks.length ? blocks[i + 1][1] : lay.size));
          blocks.forEach(([name, off], i) => {
            const len = ends[i] - off;
            if (len === 0) return;
            const d = relMaxDiff(gF[2].slice(off, len), gR[2].slice(off, len));
            expect(d, name).toBeLessThan(1e-4);
          });
        });
      }

      it('low-rank RNN (M = 0, s ≡ 1)', () => {
        const a: NmrnnScanAttrs = { ...base, M: 0, R: 3, N: 8, T: 11 };
        const rng = new Rng(5);
        const driveX = randn(rng, [a.B, a.T, a.N]) as tf.Tensor3D;
        const params = randn(rng, [nmrnnLayout(a).size], 0.8) as tf.Tensor1D;
        const wx = randn(rng, [a.B, a.T, a.N]);
        const fused = lowRankScan({ driveX, params }, a);
        const ref = nmrnnOracle(a, driveX, null, params, null, null).x;
        expect(relMaxDiff(fused, ref)).toBeLessThan(1e-5);
        const f = (fn: (dx: tf.Tensor3D, p: tf.Tensor1D) => tf.Tensor) =>
          tf.grads((dx: tf.Tensor, p: tf.Tensor) =>
            tf.sum(tf.mul(fn(dx as tf.Tensor3D, p as tf.Tensor1D), wx)),
          )([driveX, params]);
        const gF = f((dx, p) => lowRankScan({ driveX: dx, params: p }, a));
        const gR = f((dx, p) => nmrnnOracle(a, dx, null, p, null, null).x);
        expect(relMaxDiff(gF[0], gR[0])).toBeLessThan(1e-4);
        expect(relMaxDiff(gF[1], gR[1])).toBeLessThan(1e-4);
      });

      it('is sensitive: a wrong time constant is caught', () => {
        const a: NmrnnScanAttrs = { ...base };
        const rng = new Rng(3);
        const driveX = randn(rng, [a.B, a.T, a.N]) as tf.Tensor3D;
        const driveZ = randn(rng, [a.B, a.T, a.M]) as tf.Tensor3D;
        const params = randn(rng, [nmrnnLayout(a).size], 0.8) as tf.Tensor1D;
        const { mul, add } = ablationArrays({ name: '', attrs: a });
        const fused = nmrnnScan({ driveX, driveZ, params, mul, add }, a);
        const ref = nmrnnOracle({ ...a, tauX: a.tauX * 1.01 }, driveX, driveZ, params, mul, add);
        expect(relMaxDiff(fused.x, ref.x)).toBeGreaterThan(1e-4);
      });
    });
  });
}
