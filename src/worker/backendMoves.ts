/**
 * Moving the run between backends: read its parameters, moments and step back to the host, change
 * backend, rebuild it there. Used by a chosen switch, the measured race and a failure's fall-back;
 * the switch and the fall-back return the sentence the status line shows.
 */
import type { ExperimentConfig } from '../core/config/schema';
import { errorText } from './backends';
import type { BackendHost } from './backendHost';
import { raceBackends } from './backendRace';
import type { BackendName, BackendTiming } from './protocol';
import type { RunSlot, SavedRun } from './runSlot';

async function moveRun<T>(run: RunSlot, change: () => Promise<T>): Promise<[T, SavedRun]> {
  const saved = await run.save();
  run.teardown();
  const result = await change();
  run.restore(saved);
  return [result, saved];
}

/** Switch to `name`, or to the next one that works. */
export async function switchBackend(
  host: BackendHost,
  run: RunSlot,
  name: BackendName,
): Promise<{ got: BackendName; message?: string }> {
  const [{ name: got, attempts }] = await moveRun(run, () => host.switchTo(name));
  if (got === name) return { got };
  return { got, message: `${name} is not available here (${attempts[0]?.reason}); using ${got}` };
}

/** Time real steps of `config` on every available backend and move to the fastest. */
export async function raceAndSwitch(
  host: BackendHost,
  run: RunSlot,
  config: ExperimentConfig,
): Promise<BackendTiming[]> {
  const candidates = host.available ?? [host.name];
  if (candidates.length < 2) return [];
  const [timings] = await moveRun(run, async () => {
    const raced = await raceBackends(candidates, config);
    await host.switchTo(raced.find((t) => t.msPerStep !== undefined)?.name ?? host.name);
    return raced;
  });
  host.choice = { how: 'measured', timings };
  return timings;
}

/**
 * The backend failed: move to the next one in the usual order, keeping the parameters (or the
 * host copy of the last evaluated ones when the backend died with them). `ok` false: none works.
 */
export async function fallBack(
  host: BackendHost,
  run: RunSlot,
  reason: string,
): Promise<{ ok: boolean; message: string }> {
  const failed = host.name;
  try {
    const [{ name }, saved] = await moveRun(run, () => host.fallBack());
    const how = saved.params
      ? `continuing on ${name} with the same parameters`
      : `restarted on ${name} from the initial parameters`;
    return { ok: true, message: `The ${failed} backend failed (${reason}); ${how}.` };
  } catch (e) {
    const message = `The ${failed} backend failed (${reason}) and no other backend works: ${errorText(e)}`;
    return { ok: false, message };
  }
}
