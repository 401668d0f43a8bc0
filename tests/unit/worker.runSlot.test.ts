import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { findPreset } from '../../src/core/config/presets';
import type { ExperimentConfig } from '../../src/core/config/schema';
import { RunSlot } from '../../src/worker/runSlot';
import { openModelFile } from '../../src/worker/runFile';
import { TrainingLoop, type LoopHost } from '../../src/worker/trainingLoop';
import { BackendHost } from '../../src/worker/backendHost';
import { fallBack } from '../../src/worker/backendMoves';
import { BACKEND_ORDER, type BackendName } from '../../src/worker/protocol';

function smallMwg(): ExperimentConfig {
  const config = structuredClone(findPreset('mwg-nmrnn')!.config);
  config.training.batchSize = 4;
  config.training.schedule = [];
  return config;
}

async function train(slot: RunSlot, n: number, k = 1): Promise<void> {
  for (let done = 0; done < n; done += k) {
    const reports = await slot.trainSteps(slot.built!, Math.min(k, n - done));
    expect(reports.every((r) => r.ok)).toBe(true);
  }
}

async function firstWeights(slot: RunSlot): Promise<number[]> {
  const arrays = await slot.built!.model.toArrays();
  return Array.from(Object.values(arrays)[0]!.data.slice(0, 8));
}

describe('the run slot', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerFusedKernels();
  });

  it('trains in blocks exactly as step by step, phase changes inside a block included', async () => {
    const config = smallMwg();
    config.training.schedule = [
      { group: 'output', steps: 4, lr: 0.02, resetOptimizer: true },
      { group: 'nm', steps: 3, resetOptimizer: true },
      { group: 'all', steps: 10, resetOptimizer: false },
    ];
    const runs: { weights: Record<string, Float32Array>; loss: number[] }[] = [];
    for (const k of [1, 5]) {
      const slot = new RunSlot();
      slot.open(structuredClone(config));
      await train(slot, 13, k);
      expect(slot.step).toBe(13);
      const arrays = await slot.built!.model.toArrays();
      runs.push({
        weights: Object.fromEntries(Object.entries(arrays).map(([n, a]) => [n, a.data])),
        loss: slot.loss.values().map((p) => p.loss),
      });
      slot.teardown();
    }
    expect(runs[1].loss).toEqual(runs[0].loss);
    for (const name of Object.keys(runs[0].weights)) {
      expect(Array.from(runs[1].weights[name]), name).toEqual(Array.from(runs[0].weights[name]));
    }
  });

  it('counts steps across a save and restore, and keeps the parameters', async () => {
    const slot = new RunSlot();
    slot.open(smallMwg());
    await train(slot, 3);
    expect(slot.step).toBe(3);
    expect(slot.loss.values().length).toBeGreaterThan(0);
    const before = await firstWeights(slot);
    const saved = await slot.save();
    slot.teardown();
    expect(slot.built).toBeUndefined();
    slot.restore(saved);
    expect(slot.step).toBe(3);
    expect(await firstWeights(slot)).toEqual(before);
    await train(slot, 1);
    expect(slot.step).toBe(4);
    slot.teardown();
  });

  it('brings back what a discarding action replaced, once', async () => {
    const slot = new RunSlot();
    const config = smallMwg();
    slot.open(config);
    expect(await slot.keepForUndo()).toBe(0); // an untrained model is not worth an Undo
    expect(slot.canUndo).toBe(false);
    await train(slot, 2);
    const trained = await firstWeights(slot);
    const lossPoints = slot.loss.values();
    expect(await slot.keepForUndo()).toBe(2);
    slot.open(config); // a reset
    expect(slot.step).toBe(0);
    expect(slot.loss.values()).toEqual([]);
    expect(slot.takeUndo()).toEqual(config);
    expect(slot.step).toBe(2);
    expect(await firstWeights(slot)).toEqual(trained);
    expect(slot.loss.values()).toEqual(lossPoints);
    expect(slot.canUndo).toBe(false);
    expect(slot.takeUndo()).toBeUndefined();
    slot.teardown();
  });

  it('writes a session file that reopens exactly, and a model file that reopens with a warm-up', async () => {
    const slot = new RunSlot();
    const config = smallMwg();
    slot.open(config);
    await train(slot, 2);
    await slot.evaluate({ running: false, ablation: undefined, intactToo: true });
    expect(slot.evals.values().length).toBe(1);
    const weights = await firstWeights(slot);
    const sessionText = await slot.writeFile('cpu', { tab: 'loss' });
    const modelText = await slot.writeFile('cpu');

    const copy = new RunSlot();
    copy.open(config, openModelFile(config, sessionText));
    expect(copy.step).toBe(2);
    expect(copy.warmup.active).toBe(false);
    expect(copy.loss.values()).toEqual(slot.loss.values());
    expect(await firstWeights(copy)).toEqual(weights);

    copy.open(config, openModelFile(config, modelText));
    expect(copy.warmup.active).toBe(true);
    expect(await firstWeights(copy)).toEqual(weights);

    const other = structuredClone(config);
    other.model.N += 1;
    expect(() => openModelFile(other, modelText)).toThrow(/does not fit these settings/);
    expect(() => openModelFile(config, '{"broken":')).toThrow();
    slot.teardown();
    copy.teardown();
  });

  it('changes training settings in its config only when there is one', () => {
    const slot = new RunSlot();
    expect(slot.setTraining({ lr: 0.5 })).toBeUndefined();
    slot.open(smallMwg());
    expect(slot.setTraining({ lr: 0.5 })?.training.lr).toBe(0.5);
    expect(slot.config?.training.lr).toBe(0.5);
    slot.teardown();
  });
});

describe('a backend failure', () => {
  const fakeHost = (works: BackendName[]) =>
    new BackendHost(
      async (candidates: BackendName[]) => {
        const name = candidates.find((b) => works.includes(b));
        if (!name) throw new Error('no backend works');
        return { name, attempts: [{ name, ok: true }] };
      },
      async () => BACKEND_ORDER.filter((b) => works.includes(b)),
    );

  it('moves the run to the next backend with its parameters and step', async () => {
    await tf.setBackend('cpu');
    const host = fakeHost(['wasm', 'cpu']);
    await host.start('wasm');
    const slot = new RunSlot();
    slot.open(smallMwg());
    await train(slot, 2);
    const weights = await firstWeights(slot);
    const moved = await fallBack(host, slot, 'device lost');
    expect(moved.ok).toBe(true);
    expect(moved.message).toMatch(/wasm backend failed \(device lost\); continuing on cpu/);
    expect(slot.step).toBe(2);
    expect(await firstWeights(slot)).toEqual(weights);
    const last = await fallBack(host, slot, 'gone too');
    expect(last.ok).toBe(false);
    expect(last.message).toMatch(/no other backend works/);
    slot.teardown();
  });
});

describe('the training loop', () => {
  function fakeHost(limit = Infinity, readEvery = 1) {
    let step = 0;
    let stops = 0;
    const host: LoopHost = {
      exclusive: (fn) => fn(),
      train: async (max) => {
        step += max;
        return step <= limit;
      },
      readEvery: () => readEvery,
      currentStep: () => step,
      betweenChunks: async () => undefined,
      stopped: async () => {
        stops += 1;
      },
    };
    return { host, steps: () => step, stops: () => stops };
  }

  it('runs until the step asked for, then stops once', async () => {
    const loop = new TrainingLoop();
    const fake = fakeHost();
    expect(loop.start(0, 25)).toBe(true);
    await loop.run(fake.host);
    expect(fake.steps()).toBe(25);
    expect(loop.running).toBe(false);
    expect(fake.stops()).toBe(1);
    // A step already behind: nothing to do.
    expect(loop.start(25, 10)).toBe(false);
    expect(loop.running).toBe(false);
  });

  it('never queues a block past the step asked for', async () => {
    const loop = new TrainingLoop();
    const fake = fakeHost(Infinity, 8);
    loop.start(0, 21);
    await loop.run(fake.host);
    expect(fake.steps()).toBe(21);
  });

  it('stops when a step says so, and a second run call while looping does nothing', async () => {
    const loop = new TrainingLoop();
    const fake = fakeHost(7);
    loop.start(0);
    const first = loop.run(fake.host);
    await loop.run(fake.host);
    // train's false ends the chunk; the session stops the loop on divergence.
    loop.stop();
    await first;
    expect(fake.stops()).toBe(1);
  });

  it('times the Step button into the elapsed clock', async () => {
    const loop = new TrainingLoop();
    let n = 0;
    const host = (readEvery: number) => ({
      train: async (max: number) => (n += max) < 10,
      readEvery: () => readEvery,
      currentStep: () => n,
    });
    await loop.steps(3, host(1));
    expect(n).toBe(3);
    await loop.steps(0, host(1));
    expect(n).toBe(4);
    await loop.steps(5, host(2));
    expect(n).toBe(9);
    expect(loop.speed.elapsedMs()).toBeGreaterThanOrEqual(0);
  });
});
