/**
 * The host steps' writes into the variables in place (train/writeInPlace.ts): on wasm the variable
 * keeps its data and only the values change; a snapshot sharing that data keeps the values it saw
 * (the write falls back to an assignment); cpu always assigns; and a host copy that another reader
 * keeps notices the write (hostParams.ts).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostParams } from '../../src/core/train/hostParams';
import { shareTensor } from '../../src/core/train/shareTensor';
import { writeInPlace, writesTo } from '../../src/core/train/writeInPlace';

/** A variable that alone holds its data (tf.variable shares its initial tensor's until disposed). */
function variableOf(values: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Variable {
  const init = tf.tensor(values, undefined, dtype);
  const v = tf.variable(init);
  init.dispose();
  return v;
}

describe('writeInPlace', () => {
  let before: string | undefined;
  beforeAll(async () => {
    before = tf.getBackend();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    if (before) await tf.setBackend(before);
  });

  it('writes into the data of a variable that alone holds it, and counts the write', () => {
    const v = variableOf([1, 2, 3]);
    const id = v.dataId;
    expect(writeInPlace(v, Float32Array.of(4, 5, 6))).toBe(true);
    expect(v.dataId).toBe(id);
    expect(Array.from(v.dataSync())).toEqual([4, 5, 6]);
    expect(writesTo(id)).toBe(1);
    v.dispose();
  });

  it('a variable still sharing its initial tensor’s data is assigned instead', () => {
    const init = tf.tensor([1, 2, 3]);
    const v = tf.variable(init);
    expect(writeInPlace(v, Float32Array.of(4, 5, 6))).toBe(false);
    expect(Array.from(init.dataSync())).toEqual([1, 2, 3]);
    init.dispose();
    v.dispose();
  });

  it('leaves shared data alone: a snapshot keeps the values it saw', () => {
    const v = variableOf([1, 2, 3]);
    const snap = shareTensor(v);
    expect(writeInPlace(v, Float32Array.of(7, 8, 9))).toBe(false);
    expect(Array.from(snap.dataSync())).toEqual([1, 2, 3]);
    snap.dispose();
    v.dispose();
  });

  it('refuses a size or dtype it cannot write', () => {
    const v = variableOf([1, 2, 3]);
    const w = variableOf([1, 2], 'int32');
    expect(writeInPlace(v, Float32Array.of(1, 2))).toBe(false);
    expect(writeInPlace(w, Float32Array.of(1, 2))).toBe(false);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
    v.dispose();
    w.dispose();
  });

  it('a second host copy of the same variable re-reads it after a write in place', () => {
    const v = variableOf([1, 2, 3]);
    const a = new HostParams();
    const b = new HostParams();
    const vars = { v };
    expect(Array.from(b.pull(vars).v)).toEqual([1, 2, 3]);
    a.pull(vars).v.set([10, 20, 30]);
    a.markChanged(['v']);
    const id = v.dataId;
    a.push(vars);
    expect(v.dataId).toBe(id);
    expect(Array.from(v.dataSync())).toEqual([10, 20, 30]);
    expect(Array.from(b.pull(vars).v)).toEqual([10, 20, 30]);
    v.dispose();
  });

  it('assigns on cpu, where a reader may hold the backend’s own array', async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    try {
      const v = variableOf([1, 2, 3]);
      const held = await v.data();
      expect(writeInPlace(v, Float32Array.of(4, 5, 6))).toBe(false);
      expect(Array.from(held)).toEqual([1, 2, 3]);
      v.dispose();
    } finally {
      expect(await tf.setBackend('wasm')).toBe(true);
    }
  });
});
