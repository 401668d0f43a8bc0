import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../../src/worker/speedMeter';
import { EvalHistory } from '../../src/worker/evalHistory';
import { LrWarmup } from '../../src/worker/lrWarmup';
import { EvalCache, evalIntervalMs } from '../../src/worker/evalCache';
import { BackendHost } from '../../src/worker/backendHost';
import { ScheduleTracker } from '../../src/worker/scheduleTracker';
import { BACKEND_ORDER, type BackendName } from '../../src/worker/protocol';
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { findPreset } from '../../src/core/config/presets';
import { createExperiment } from '../../src/core/experiment';
import { createModel } from '../../src/core/models/model';
import { Rng } from '../../src/core/random';

describe('the speed meter', () => {
  it('measures steps per second over recent steps, keeps the rate through a pause', () => {
    let now = 0;
    const meter = new SpeedMeter(() => now);
    meter.start();
    for (let i = 0; i < 11; i++) {
      meter.markStep();
      now += 100; // 10 steps/s
    }
    expect(meter.stepsPerSec()).toBeCloseTo(10 * (10 / 11), 5);
    meter.stop();
    now += 5000;
    expect(meter.stepsPerSec()).toBeCloseTo(10 * (10 / 11), 5);
    expect(meter.elapsedMs()).toBe(1100);
    meter.addElapsed(50);
    expect(meter.elapsedMs()).toBe(1150);
    meter.resetRate();
    expect(meter.stepsPerSec()).toBe(0);
    meter.start();
    now += 200;
    expect(meter.elapsedMs()).toBe(1350);
    meter.resetClock();
    now += 10;
    expect(meter.elapsedMs()).toBe(10);
  });

  it('forgets steps older than 10 s', () => {
    let now = 0;
    const meter = new SpeedMeter(() => now);
    meter.start();
    meter.markStep();
    now = 20_000;
    meter.markStep();
    now = 20_500;
    meter.markStep();
    // Only the last two count: one step in 0.5 s, measured up to now.
    expect(meter.stepsPerSec()).toBeCloseTo(1 / 0.5, 5);
  });
});

describe('the evaluation history', () => {
  it('keeps one point per step and thins the older part past its bound', () => {
    const h = new EvalHistory(50);
    h.add(1, { mse: 1 });
    h.add(1, { mse: 2 });
    expect(h.values()).toEqual([{ step: 1, metrics: { mse: 1 } }]);
    for (let s = 2; s <= 200; s++) h.add(s, { mse: 1 / s });
    const v = h.values();
    expect(v.length).toBeLessThanOrEqual(50);
    expect(v[0].step).toBe(1);
    expect(v[v.length - 1].step).toBe(200);
    // The newest points are kept whole.
    expect(v.slice(-20).map((p) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => 181 + i));
    h.replace([{ step: 7, metrics: { a: 1 } }]);
    expect(h.values()).toEqual([{ step: 7, metrics: { a: 1 } }]);
    h.clear();
    expect(h.values()).toEqual([]);
  });
});

describe('the learning-rate warm-up of loaded weights', () => {
  it('climbs linearly to the target and then ends itself', () => {
    const w = new LrWarmup(4);
    expect(w.rateAt(0, 0.01)).toBeUndefined();
    w.begin(10);
    expect(w.active).toBe(true);
    expect([10, 11, 12, 13].map((s) => w.rateAt(s, 0.01))).toEqual([0.0025, 0.005, 0.0075, 0.01]);
    expect(w.rateAt(14, 0.01)).toBe(0.01);
    expect(w.active).toBe(false);
    w.begin(0);
    w.cancel();
    expect(w.rateAt(1, 0.01)).toBeUndefined();
  });
});

describe('the evaluation cache', () => {
  it('redoes the intact run only for new parameters and the ablated run only for a new ablation', async () => {
    await tf.setBackend('cpu');
    registerFusedKernels();
    const config = findPreset('mwg-nmrnn')!.config;
    const experiment = createExperiment(config);
    const model = createModel(experiment.modelConfig, new Rng(0));
    let now = 0;
    const cache = new EvalCache(() => now);
    const base = { experiment, model, version: 1, running: false, ablation: undefined };
    const first = await cache.refresh({ ...base, step: 0, intactToo: true });
    expect(first).toBeDefined();
    const view0 = cache.view!;
    expect(view0.family).toBe('mwg');
    expect(view0.ablated).toBeUndefined();
    expect(cache.fits).toBe(1);

    // Same step and build: nothing recomputed, same view id.
    expect(await cache.refresh({ ...base, step: 0, intactToo: true })).toBeUndefined();
    expect(cache.view!.id).toBe(view0.id);

    // An ablation: the intact run stays, the ablated one appears.
    const clamp = [{ mode: 'clamp' as const, value: 0 }];
    expect(
      await cache.refresh({ ...base, step: 0, intactToo: false, ablation: clamp }),
    ).toBeUndefined();
    expect(cache.view!.ablated).toBeDefined();
    expect(cache.view!.id).toBe((view0.id ?? 0) + 1);
    expect(cache.intact).toBe(first);

    // Training running: a new step re-runs the intact model; the basis of a fit under 3 s old is
    // reused, an older one is refitted (quickly: fewer rows).
    now = 1000;
    const fresh = await cache.refresh({
      ...base,
      step: 5,
      running: true,
      intactToo: true,
      ablation: clamp,
    });
    expect(fresh?.step).toBe(5);
    expect(cache.fits).toBe(1);
    now = 4000;
    await cache.refresh({ ...base, step: 6, running: true, intactToo: true, ablation: clamp });
    expect(cache.fits).toBe(2);
    // Training stops: the provisional basis is refitted once, with every row.
    await cache.refresh({ ...base, step: 6, running: false, intactToo: true, ablation: clamp });
    expect(cache.fits).toBe(3);
    await cache.refresh({ ...base, step: 6, running: false, intactToo: true, ablation: clamp });
    expect(cache.fits).toBe(3);
    // Removing the ablation drops the ablated run.
    await cache.refresh({ ...base, step: 6, intactToo: false });
    expect(cache.view!.ablated).toBeUndefined();
    cache.forgetRuns();
    expect(cache.intact).toBeUndefined();
    model.dispose();
  });

  it('spaces evaluations so that a slow one stays about a tenth of training time', () => {
    const mwg = createExperiment(findPreset('mwg-nmrnn')!.config);
    expect(evalIntervalMs(mwg)).toBe(500);
    expect(evalIntervalMs(mwg, 20)).toBe(500);
    // 400 ms of evaluation every 3.6 s of training.
    expect(evalIntervalMs(mwg, 400)).toBeCloseTo(3600);
  });

  it('times its intact evaluation', async () => {
    await tf.setBackend('cpu');
    registerFusedKernels();
    const experiment = createExperiment(findPreset('mwg-nmrnn')!.config);
    const model = createModel(experiment.modelConfig, new Rng(0));
    let now = 0;
    const cache = new EvalCache(() => (now += 7));
    const args = { experiment, model, version: 1, running: true, ablation: undefined };
    await cache.refresh({ ...args, step: 0, intactToo: true });
    // The clock advanced once at the start, once for the PCA fit, once at the end.
    expect(cache.lastEvalMs).toBe(14);
    model.dispose();
  });
});

describe('the backend host', () => {
  // A fake tfjs: these backends work, in this browser; activation takes the first that works.
  const fake = (works: BackendName[]) => {
    const activated: BackendName[][] = [];
    const activate = async (candidates: BackendName[]) => {
      activated.push(candidates);
      const attempts = [];
      for (const name of candidates) {
        const ok = works.includes(name);
        attempts.push(ok ? { name, ok } : { name, ok, reason: `no ${name} here` });
        if (ok) return { name, attempts };
      }
      throw new Error('no backend works');
    };
    const list = async () => BACKEND_ORDER.filter((b) => works.includes(b));
    return { host: new BackendHost(activate, list), activated };
  };

  it('starts on the first working backend and says why earlier ones were skipped', async () => {
    const { host } = fake(['wasm', 'cpu']);
    expect(await host.start()).toBe('wasm');
    expect(host.available).toEqual(['wasm', 'cpu']);
    expect(host.backendNote).toMatch(/webgpu: no webgpu here.*— using wasm/);
  });

  it('falls back down the usual order after a failure, forgetting how the old one was chosen', async () => {
    const { host, activated } = fake(['webgl', 'cpu']);
    await host.start('webgl');
    host.choice = { how: 'measured' };
    host.failAtNextStep('device lost');
    expect(host.pendingFailure).toBe('device lost');
    expect(await host.fallBack()).toEqual({ failed: 'webgl', name: 'cpu' });
    expect(activated.at(-1)).toEqual(['wasm', 'cpu']);
    expect(host.choice).toBeUndefined();
    expect(host.pendingFailure).toBeUndefined();
    await expect(host.fallBack()).rejects.toThrow(/no backend works/);
  });

  it('switches to a requested backend, or the next that works', async () => {
    const { host } = fake(['wasm', 'cpu']);
    await host.start();
    expect((await host.switchTo('cpu')).name).toBe('cpu');
    const r = await host.switchTo('webgpu');
    expect(r.name).toBe('wasm');
    expect(r.attempts[0]).toEqual({ name: 'webgpu', ok: false, reason: 'no webgpu here' });
  });
});

describe('the schedule tracker', () => {
  it('enters each phase once, reports it, and heads for its learning rate', () => {
    const config = structuredClone(findPreset('mwg-nmrnn')!.config);
    config.training.schedule = [
      { group: 'output', steps: 3, lr: 0.05, resetOptimizer: true },
      { group: 'all', steps: 5, resetOptimizer: false },
    ];
    const stages: string[] = [];
    const rates: number[] = [];
    const trainer = {
      setStage: (g: string) => stages.push(g),
      setLearningRate: (lr: number) => rates.push(lr),
      resetOptimizer: () => stages.push('reset'),
    } as unknown as import('../../src/core/train/session').TrainingSession;
    const tracker = new ScheduleTracker();
    tracker.follow(trainer, config, 0);
    tracker.follow(trainer, config, 1);
    expect(stages.filter((s) => s !== 'reset')).toEqual(['output']);
    expect(tracker.targetLr(config, 1)).toBe(0.05);
    expect(tracker.status(config, 1).phase).toMatchObject({ index: 0, count: 2, group: 'output' });
    tracker.follow(trainer, config, 3);
    expect(stages.filter((s) => s !== 'reset')).toEqual(['output', 'all']);
    expect(tracker.targetLr(config, 4)).toBe(config.training.lr);
    // A rebuilt trainer is put back in the phase it was in…
    tracker.resume(trainer, config, 4);
    expect(stages.at(-1)).toBe('all');
    // …and one that moved elsewhere forgets it, so the next step enters its own phase.
    tracker.resume(trainer, config, 0);
    tracker.follow(trainer, config, 0);
    expect(stages.filter((s) => s !== 'reset').at(-1)).toBe('output');
    expect(tracker.targetLr(undefined, 0)).toBe(0);
  });
});
