import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { findJob, scaleBudget, type JobSpec } from '../../src/core/reproduce/jobs/plan';
import { runJob } from '../../src/core/reproduce/jobs/runJob';
import type { JobOutput } from '../../src/core/reproduce/jobs/jobResult';
import {
  checkpointFromText,
  checkpointToJson,
  type JobState,
} from '../../src/core/reproduce/jobs/checkpoint';
import {
  checkpointPath,
  readCheckpoint,
  readResults,
  removeCheckpoint,
  writeCheckpoint,
  writeResult,
} from '../../src/cli/jobStore';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFusedKernels();
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

class Stop extends Error {}

/** The job run in one go, and again stopped at its `stopAt`-th checkpoint and resumed from it. */
async function uninterruptedAndResumed(
  spec: JobSpec,
  every: number,
  stopAt: number,
): Promise<{ whole: JobOutput; resumed: JobOutput; saved: JobState }> {
  const whole = await runJob(spec);
  let count = 0;
  let text = '';
  await expect(
    runJob(spec, {
      checkpoints: {
        every,
        save: (state) => {
          // Through JSON, exactly as a file on disk would carry it.
          text = JSON.stringify(checkpointToJson(spec.id, state));
          if (++count === stopAt) throw new Stop('the session ended');
        },
      },
    }),
  ).rejects.toBeInstanceOf(Stop);
  const saved = checkpointFromText(spec.id, text);
  if (typeof saved === 'string') throw new Error(saved);
  const resumed = await runJob(spec, { checkpoints: { saved, every, save: () => undefined } });
  return { whole, resumed, saved };
}

const paramsOf = (modelText: string): unknown =>
  (JSON.parse(modelText) as { params: unknown }).params;

describe('job checkpoints', () => {
  it('a staged MWG job stopped mid-phase continues to exactly the uninterrupted result', async () => {
    const spec = scaleBudget(findJob('mwg/nmrnn/paper/s0')!, 3e-4); // 3 + 3 + 15 steps
    // Checkpoints every 2 steps in a phase, and at each phase boundary: the 4th is mid-"nm".
    const { whole, resumed, saved } = await uninterruptedAndResumed(spec, 2, 4);
    expect(saved.stage).toBe('train');
    expect(saved.position.phase).toBeGreaterThan(0);
    expect(resumed.result.steps).toBe(whole.result.steps);
    expect(resumed.result.phases.map((p) => [p.group, p.steps])).toEqual(
      whole.result.phases.map((p) => [p.group, p.steps]),
    );
    expect(resumed.result.history.loss).toEqual(whole.result.history.loss);
    expect(resumed.result.metrics).toEqual(whole.result.metrics);
    expect(paramsOf(resumed.models.trained)).toEqual(paramsOf(whole.models.trained));
  });

  it('a multitask job stopped during retraining keeps its training and finishes the retraining exactly', async () => {
    const spec = scaleBudget(findJob('multitask/nmrnn/paper-short/s0')!, 4e-4); // 12 + 6 steps
    // Training checkpoints at steps 4 and 8, the training-done one, then retraining's at 4.
    const { whole, resumed, saved } = await uninterruptedAndResumed(spec, 4, 4);
    expect(saved.stage).toBe('retrain');
    expect(saved.losses).toHaveLength(4);
    expect(resumed.result.metrics).toEqual(whole.result.metrics);
    expect(resumed.result.retrain?.steps).toBe(whole.result.retrain?.steps);
    expect(resumed.result.retrain?.loss).toEqual(whole.result.retrain?.loss);
    expect(resumed.result.retrain?.metrics).toEqual(whole.result.retrain?.metrics);
    expect(paramsOf(resumed.models.retrained!)).toEqual(paramsOf(whole.models.retrained!));
    // The retrained file records the training steps, though the resumed run trained none itself.
    const steps = (text: string): unknown =>
      (JSON.parse(text) as { createdWith: { steps: unknown } }).createdWith.steps;
    expect(steps(resumed.models.retrained!)).toBe(steps(whole.models.retrained!));
    expect(steps(resumed.models.retrained!)).toBe(12);
    // Three runs of the multitask evaluation sets: ≈ 30 s on an idle 2-core machine.
  }, 180_000);

  it('the authors’ loop resumes with its best chunk so far', async () => {
    const spec = scaleBudget(findJob('eft/nmrnn/paper/s0')!, 1e-3); // 20 steps
    spec.config.training.authorsLoop = true;
    const { whole, resumed } = await uninterruptedAndResumed(spec, 3, 2);
    // Chunks of 1,000 steps exceed this run: one chunk, ended by the phase's end.
    expect(resumed.result.phases).toEqual(whole.result.phases);
    expect(paramsOf(resumed.models.trained)).toEqual(paramsOf(whole.models.trained));
  });

  it('refuses a checkpoint of another job, another format or broken text, with a reason', () => {
    expect(checkpointFromText('a/b/c/s0', '{"format":')).toMatch(/unreadable/);
    expect(checkpointFromText('a/b/c/s0', '{"format":"other"}')).toMatch(/not a job checkpoint/);
    const state: JobState = {
      stage: 'train',
      position: { phase: 0, progress: { done: 1, chunkIndex: 0 } },
      params: { W: { shape: [2], data: Float32Array.from([1, 2]) } },
      optimizer: { options: {} as JobState['optimizer']['options'], counts: {}, m: {}, v: {} },
      losses: [0.5, 0.25],
      evals: [],
      phases: [],
      seconds: 1,
    };
    const text = JSON.stringify(checkpointToJson('x/y/z/s0', state));
    expect(checkpointFromText('x/y/z/s1', text)).toMatch(/a checkpoint of x\/y\/z\/s0/);
    const back = checkpointFromText('x/y/z/s0', text) as JobState;
    expect(back.losses).toEqual([0.5, 0.25]);
    expect(Array.from(back.params.W.data)).toEqual([1, 2]);
  });
});

describe('checkpoint files', () => {
  it('sit beside the results, stay out of them, keep smoke tests apart, and go when removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    dirs.push(dir);
    const spec = { id: 'eft/nmrnn/paper/s0' };
    expect(readCheckpoint(dir, spec)).toBeUndefined();
    const state: JobState = {
      stage: 'train',
      position: { phase: 0, progress: { done: 5, chunkIndex: 0 } },
      params: {},
      optimizer: { options: {} as JobState['optimizer']['options'], counts: {}, m: {}, v: {} },
      losses: [1, 2, 3, 4, 5],
      evals: [],
      phases: [],
      seconds: 2,
    };
    writeCheckpoint(dir, spec, state);
    writeCheckpoint(dir, spec, { ...state, losses: [9] }, 0.001);
    expect((readCheckpoint(dir, spec) as JobState).losses).toEqual([1, 2, 3, 4, 5]);
    expect((readCheckpoint(dir, spec, 0.001) as JobState).losses).toEqual([9]);
    // A finished result beside it: the results reader sees only the result.
    const job = await runJob(scaleBudget(findJob(spec.id)!, 2e-4));
    writeResult(dir, { ...job.result, run: { machine: 'm', date: 'd', command: 'c' } }, job.models);
    expect(readResults(dir, 'eft').map((r) => r.id)).toEqual([spec.id]);
    writeFileSync(checkpointPath(dir, spec), 'not json');
    expect(readCheckpoint(dir, spec)).toMatch(/unreadable/);
    removeCheckpoint(dir, spec);
    removeCheckpoint(dir, spec, 0.001);
    expect(readdirSync(join(dir, 'eft')).sort()).toEqual([
      'nmrnn--paper--s0.json',
      'nmrnn--paper--s0.model.json',
    ]);
  });
});
