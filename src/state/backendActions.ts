/**
 * Which backend trains: chosen at start-up (a link's, a remembered one, or the fastest of a race)
 * and from the Backend menu, whose choice is remembered and written into the link.
 */
import type { decodeShare } from './link/shareCodec';
import type { BackendName } from '../worker/protocol';
import { session } from './sessionClient';
import { usePlayground } from './playgroundStore';
import { rememberBackend, rememberedBackend } from './backendMemory';
import { allowed, errorText, notify } from './actionSupport';

/**
 * The backend to train on: the link's, else the one remembered for this browser and model size,
 * else the fastest of a short race on the link's own model (worker/backendRace.ts).
 */
export async function chooseBackend(state: ReturnType<typeof decodeShare>['state']): Promise<void> {
  const api = session();
  const asked = state.view.backend;
  if (asked) {
    const got = await api.setBackend(asked);
    if (got !== asked)
      notify(
        'warning',
        `The link asks for ${asked}, which is not available here; using ${got}.`,
        'backend',
      );
    await api.noteBackendChoice({ how: 'link' });
    return;
  }
  const remembered = rememberedBackend(state.config);
  if (remembered) {
    const got = await api.setBackend(remembered);
    if (got === remembered) {
      await api.noteBackendChoice({ how: 'remembered' });
      return;
    }
  }
  const timings = await api.measureBackends(state.config);
  const best = timings.find((t) => t.msPerStep !== undefined);
  if (best) rememberBackend(state.config, best.name);
}

export async function setBackend(name: BackendName): Promise<void> {
  if (!allowed('backend')) return;
  try {
    const got = await session().setBackend(name);
    if (got !== name)
      notify('warning', `The ${name} backend is not available; using ${got}.`, 'backend');
    // A choice from the menu overrides the measured one, here and in the link, and is remembered.
    const store = usePlayground.getState();
    rememberBackend(store.config, got);
    store.setView({ backend: got });
    await session().noteBackendChoice({ how: 'menu' });
  } catch (e) {
    notify('error', `Switching to ${name} failed: ${errorText(e)}`, 'backend');
  }
}
