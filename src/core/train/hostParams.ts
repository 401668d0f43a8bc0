/**
 * A model's parameters as host arrays, for the trainer's host steps (cpu and wasm: the fused step
 * and the optimiser update run on these arrays, with no tfjs tensor made per step). The variables
 * stay the parameters everyone else reads: each block of steps ends with `push`, which writes the
 * arrays that changed into their variables, and `pull` re-reads any variable written by someone
 * else since (a checkpoint restored, a second trainer on the same model), which it tells from the
 * variable's data id and that data's count of writes in place.
 */
import * as tf from '@tensorflow/tfjs';
import { writeInPlace, writesTo } from './writeInPlace';

interface Entry {
  data: Float32Array;
  /** The variable's data when `data` was last read from or written to it. */
  dataId: object;
  /** That data's writes in place (writeInPlace.ts) at the time. */
  writes: number;
}

export class HostParams {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new Set<string>();

  /** The current values of every variable, by name (arrays the host steps update in place). */
  pull(vars: Record<string, tf.Variable>): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of Object.entries(vars)) {
      let e = this.entries.get(name);
      if (
        !e ||
        e.dataId !== v.dataId ||
        e.writes !== writesTo(v.dataId) ||
        e.data.length !== v.size
      ) {
        // Host backends only, where a synchronous read is free (and copied: cpu hands out its own).
        e = { data: Float32Array.from(v.dataSync()), dataId: v.dataId, writes: writesTo(v.dataId) };
        this.entries.set(name, e);
        this.changed.delete(name);
      }
      out[name] = e.data;
    }
    return out;
  }

  /** `names`' arrays were written: the next push assigns them. */
  markChanged(names: Iterable<string>): void {
    for (const n of names) this.changed.add(n);
  }

  /**
   * Writes every changed array into its variable: in place where the variable alone holds its data
   * (a fresh tensor and an assignment per parameter were ≈ 3 % of an MWG step), else by assignment.
   */
  push(vars: Record<string, tf.Variable>): void {
    for (const name of this.changed) {
      const v = vars[name];
      const e = this.entries.get(name);
      if (!v || !e) continue;
      if (!writeInPlace(v, e.data)) {
        // A copy: the cpu backend would keep the array itself, which the next step overwrites.
        tf.tidy(() => v.assign(tf.tensor(e.data.slice(), v.shape, 'float32')));
      }
      e.dataId = v.dataId;
      e.writes = writesTo(v.dataId);
    }
    this.changed.clear();
  }

  /** Forget every array (the next pull reads the variables afresh). */
  clear(): void {
    this.entries.clear();
    this.changed.clear();
  }
}
