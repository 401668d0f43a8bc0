/**
 * A model's parameters as host arrays, for the trainer's host steps (cpu and wasm: the fused step
 * and the optimiser update run on these arrays, with no tfjs tensor made per step). The variables
 * stay the parameters everyone else reads: each block of steps ends with `push`, which assigns the
 * arrays that changed, and `pull` re-reads any variable assigned by someone else since (a checkpoint
 * restored, a second trainer on the same model), which it tells from the variable's data id.
 */
import * as tf from '@tensorflow/tfjs';

interface Entry {
  data: Float32Array;
  /** The variable's data when `data` was last read from or written to it. */
  dataId: object;
}

export class HostParams {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new Set<string>();

  /** The current values of every variable, by name (arrays the host steps update in place). */
  pull(vars: Record<string, tf.Variable>): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of Object.entries(vars)) {
      let e = this.entries.get(name);
      if (!e || e.dataId !== v.dataId || e.data.length !== v.size) {
        // Host backends only, where a synchronous read is free (and copied: cpu hands out its own).
        e = { data: Float32Array.from(v.dataSync()), dataId: v.dataId };
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

  /** Assigns every changed array to its variable. */
  push(vars: Record<string, tf.Variable>): void {
    for (const name of this.changed) {
      const v = vars[name];
      const e = this.entries.get(name);
      if (!v || !e) continue;
      // A copy: the cpu backend would keep the array itself, which the next step overwrites.
      tf.tidy(() => v.assign(tf.tensor(e.data.slice(), v.shape, 'float32')));
      e.dataId = v.dataId;
    }
    this.changed.clear();
  }

  /** Forget every array (the next pull reads the variables afresh). */
  clear(): void {
    this.entries.clear();
    this.changed.clear();
  }
}
