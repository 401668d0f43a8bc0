/**
 * A step thread's side of the mailbox protocol (stepPool.ts): wait for a posted part, run it with
 * this thread's own SIMD modules (stepParts.ts runStepPart), write the loss and gradient back, and
 * wake the caller. Runs until told to stop; it never returns otherwise.
 */
import { FLOATS_AT, LOSS_AT, STEP_STATE, type MailboxJob } from './stepPool';
import { runStepPart } from './stepParts';

export function serveStepParts(
  control: SharedArrayBuffer,
  mailbox: SharedArrayBuffer,
  index: number,
): void {
  const ctl = new Int32Array(control);
  const s = 4 * index;
  // A job posted while this thread was loading is already there; do not overwrite it.
  Atomics.compareExchange(ctl, s, STEP_STATE.starting, STEP_STATE.idle);
  Atomics.notify(ctl, s);
  const floats = new Float32Array(mailbox);
  for (;;) {
    Atomics.wait(ctl, s, STEP_STATE.idle);
    const state = Atomics.load(ctl, s);
    if (state === STEP_STATE.stop) return;
    if (state !== STEP_STATE.posted) continue;
    try {
      const bytes = new Uint8Array(mailbox, 0, ctl[s + 1]).slice();
      const m = JSON.parse(new TextDecoder().decode(bytes)) as MailboxJob;
      const [P, nu, nt, nm] = m.lengths;
      let at = FLOATS_AT / 4;
      const take = (n: number) => floats.subarray(at, (at += n));
      const params = take(P);
      const part = { B: m.B, u: take(nu), targets: take(nt), mask: take(nm) };
      const grad = take(P);
      new Float64Array(mailbox, LOSS_AT, 1)[0] = runStepPart(m.job, params, part, m.den, grad);
      Atomics.store(ctl, s, STEP_STATE.done);
    } catch (e) {
      const text = new TextEncoder().encode(e instanceof Error ? e.message : String(e));
      const n = Math.min(text.length, FLOATS_AT - 64);
      new Uint8Array(mailbox, 0, n).set(text.subarray(0, n));
      ctl[s + 1] = n;
      Atomics.store(ctl, s, STEP_STATE.failed);
    }
    Atomics.notify(ctl, s);
  }
}
