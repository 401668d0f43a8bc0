import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/config/schema';
import { modelSizeKey, rememberBackend, rememberedBackend } from '../../src/state/backendMemory';
import {
  median,
  raceRounds,
  rankRaced,
  SAME_STEPS_NOTE,
  SLOW_STEP_MS,
  sortTimings,
} from '../../src/worker/backendRace';
import { backendWhy } from '../../src/ui/shell/BackendIndicator';

function fakeStorage(initial: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

afterEach(() => {
  delete (globalThis as { localStorage?: Storage }).localStorage;
});

describe('the measured backend choice', () => {
  it('orders timings fastest first, failures last', () => {
    const sorted = sortTimings([
      { name: 'cpu', msPerStep: 20 },
      { name: 'webgpu', reason: 'device lost' },
      { name: 'wasm', msPerStep: 9 },
    ]);
    expect(sorted.map((t) => t.name)).toEqual(['wasm', 'cpu', 'webgpu']);
  });

  it('takes CPU over WASM only when it is clearly faster (they share the step kernels)', () => {
    const order = (cpu: number, wasm: number) =>
      sortTimings([
        { name: 'cpu', msPerStep: cpu },
        { name: 'wasm', msPerStep: wasm },
      ]).map((t) => t.name);
    expect(order(2.0, 2.1)).toEqual(['wasm', 'cpu']);
    expect(order(1.8, 2.1)).toEqual(['cpu', 'wasm']);
    expect(
      sortTimings([
        { name: 'cpu', msPerStep: 2 },
        { name: 'wasm', reason: 'no WebAssembly' },
      ]).map((t) => t.name),
    ).toEqual(['cpu', 'wasm']);
  });

  it('never takes CPU over a timed WASM where both run the same host step function', () => {
    const order = (cpu: number, wasm: number, same: boolean) =>
      sortTimings(
        [
          { name: 'cpu', msPerStep: cpu },
          { name: 'webgpu', msPerStep: 3 },
          { name: 'wasm', msPerStep: wasm },
        ],
        same,
      ).map((t) => t.name);
    // Measured in the page while it loaded: CPU 4.3, WASM 5.8 ms per step for the same kernels.
    expect(order(4.3, 5.8, true)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(order(4.3, 5.8, false)).toEqual(['webgpu', 'cpu', 'wasm']);
    expect(order(1, 2, true)).toEqual(['wasm', 'cpu', 'webgpu']);
    expect(order(2, 2, true)).toEqual(['wasm', 'cpu', 'webgpu']);
    // Without a WASM time CPU stands on its own.
    expect(
      sortTimings(
        [
          { name: 'wasm', reason: 'no WebAssembly' },
          { name: 'cpu', msPerStep: 2 },
        ],
        true,
      ).map((t) => t.name),
    ).toEqual(['cpu', 'wasm']);
  });

  it('ranks a race by which backends stepped on host arrays, and says why CPU stands after WASM', () => {
    const timings = [
      { name: 'cpu' as const, msPerStep: 4.3 },
      { name: 'wasm' as const, msPerStep: 5.8 },
    ];
    const same = rankRaced(timings, new Set(['cpu', 'wasm'] as const));
    expect(same).toEqual([
      { name: 'wasm', msPerStep: 5.8 },
      { name: 'cpu', msPerStep: 4.3, note: SAME_STEPS_NOTE },
    ]);
    expect(backendWhy({ backendChoice: { how: 'measured', timings: same } })).toBe(
      'timed here: WASM 5.8 ms/step, CPU 4.3 ms/step (the same step code as WASM)',
    );
    // Only one of them on host arrays (a model the fused step does not cover): the times decide.
    const apart = rankRaced(timings, new Set(['wasm'] as const));
    expect(apart).toEqual([
      { name: 'cpu', msPerStep: 4.3 },
      { name: 'wasm', msPerStep: 5.8 },
    ]);
  });

  it('races twice and keeps each backend’s best time, so the one raced first is not handicapped', async () => {
    // The shared kernels are optimised while the first backend runs: its first time is the slow one.
    const times: Record<string, number[]> = { wasm: [6.2, 2.0], cpu: [2.1, 2.2], webgpu: [5000] };
    const calls: string[] = [];
    const raced = await raceRounds(['webgpu', 'wasm', 'cpu', 'webgl'], async (name) => {
      calls.push(name);
      if (name === 'webgl') throw new Error('no WebGL');
      return times[name].shift();
    });
    expect(raced).toEqual([
      { name: 'wasm', msPerStep: 2.0 },
      { name: 'cpu', msPerStep: 2.1 },
      { name: 'webgpu', msPerStep: 5000 },
      { name: 'webgl', reason: 'no WebGL' },
    ]);
    // Neither a backend slower than SLOW_STEP_MS nor a failed one is timed again.
    expect(5000).toBeGreaterThan(SLOW_STEP_MS);
    expect(calls).toEqual(['webgpu', 'wasm', 'cpu', 'webgl', 'wasm', 'cpu']);
  });

  it('times a backend by its median step, so one slow step does not decide', () => {
    expect(median([9, 10, 250, 11, 10, 9])).toBe(10);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('remembers a choice per model size, and survives missing or corrupt storage', () => {
    const config = structuredClone(DEFAULT_EXPERIMENT);
    expect(rememberedBackend(config)).toBeUndefined(); // no storage at all
    (globalThis as { localStorage?: Storage }).localStorage = fakeStorage();
    rememberBackend(config, 'wasm');
    expect(rememberedBackend(config)).toBe('wasm');
    const bigger = structuredClone(config);
    bigger.model.N = 400;
    expect(modelSizeKey(bigger)).not.toBe(modelSizeKey(config));
    expect(rememberedBackend(bigger)).toBeUndefined();
    (globalThis as { localStorage?: Storage }).localStorage = fakeStorage({
      'nmrnn-playground.backend-choice': '{not json',
    });
    expect(rememberedBackend(config)).toBeUndefined();
    (globalThis as { localStorage?: Storage }).localStorage = fakeStorage({
      'nmrnn-playground.backend-choice': JSON.stringify({ x: 'quantum' }),
    });
    expect(rememberedBackend(config)).toBeUndefined();
  });
});
