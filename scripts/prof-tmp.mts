import { findJob, scaleBudget } from '../src/core/reproduce/jobs/plan';
import { startRun, trainPhases } from '../src/core/reproduce/trainRun';
import { setupBackend } from '../src/cli/common';
import { setRnnSimdEnabled } from "../src/core/kernels/simd/rnnSimd";
if (process.env.NOSIMD) { setRnnSimdEnabled(false); (await import("../src/core/kernels/simd/lstmSimd")).setLstmSimdEnabled(false); }
await setupBackend((process.argv[3] ?? 'cpu') as 'cpu');
const spec = scaleBudget(findJob(process.argv[2])!, Number(process.argv[4] ?? 0.01));
const run = startRun(spec.config);
await trainPhases(run, spec.config.training.schedule.map((p) => ({ ...p, steps: 20 })), {});
const t0 = performance.now();
await trainPhases(run, spec.config.training.schedule, {});
console.log(spec.id, ((performance.now() - t0) / run.losses.length * 1).toFixed(2), 'ms/step (incl warmup share)', run.losses.length);
