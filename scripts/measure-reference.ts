/**
 * Times the reference (op-by-op tfjs) models at the Measure-Wait-Go sizes: ms per forward and per
 * forward + backward (tf.variableGrads of the MSE), batch 40 × 110 steps, on the tfjs cpu backend
 * and, unless --cpu-only, the wasm backend. Prints process CPU time and wall time per run.
 *
 *   npx tsx scripts/measure-reference.ts [--reps 5] [--cpu-only] [--kinds nmrnn,lstm]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createModel, defaultModelConfig, type ModelKind } from '../src/core/models';
import { Rng } from '../src/core/random';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const reps = Number(flag('--reps') ?? 5);
const kinds = (flag('--kinds') ?? 'nmrnn,lrrnn,rnn,lstm').split(',') as ModelKind[];
const backends = args.includes('--cpu-only') ? ['cpu'] : ['cpu', 'wasm'];
const B = 40;
const T = 110;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timing {
  /** Wall-clock ms per run. */
  wall: number[];
  /**
   * Process CPU ms (user + system) per run. The cpu and wasm backends run on one thread, so on a
   * machine shared with other jobs this is the steadier figure; wall time includes waiting.
   */
  cpu: number[];
}

async function time(fn: () => tf.Tensor[]): Promise<Timing> {
  const out: Timing = { wall: [], cpu: [] };
  for (let r = 0; r < reps + 1; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ts = fn();
    // Reading a value waits for the backend to finish, as a training loop would.
    await ts[0].data();
    const dt = performance.now() - t0;
    const dc = process.cpuUsage(c0);
    tf.dispose(ts);
    if (r === 0) continue; // the first run warms up kernels and allocations
    out.wall.push(dt);
    out.cpu.push((dc.user + dc.system) / 1000);
  }
  return out;
}

const fmt = (xs: number[]): string => median(xs).toFixed(1).padStart(7);

async function main(): Promise<void> {
  for (const backend of backends) {
    if (!(await tf.setBackend(backend))) {
      console.log(`${backend}: not available`);
      continue;
    }
    await tf.ready();
    for (const kind of kinds) {
      const model = createModel(defaultModelConfig(kind), new Rng(0));
      const rng = new Rng(1);
      const u = tf.tensor3d(rng.normals(B * T * 3), [B, T, 3]);
      const target = tf.tensor3d(rng.normals(B * T), [B, T, 1]);
      const vars = model.groups.all.map((n) => model.params[n]);
      const loss = (): tf.Scalar =>
        tf.mean(tf.square(tf.sub(model.forward(u, { impl: 'reference' }).y, target)));
      const fwd = await time(() => [tf.tidy(loss)]);
      const fb = await time(() => {
        const { value, grads } = tf.variableGrads(loss, vars);
        return [value, ...Object.values(grads)];
      });
      console.log(
        `${backend.padEnd(4)} ${kind.padEnd(5)} N=${String(model.config.N).padEnd(3)} ` +
          `forward: cpu ${fmt(fwd.cpu)} wall ${fmt(fwd.wall)} ms | ` +
          `forward+backward: cpu ${fmt(fb.cpu)} wall ${fmt(fb.wall)} ms (medians of ${reps})`,
      );
      tf.dispose([u, target]);
      model.dispose();
    }
  }
}

void main();
