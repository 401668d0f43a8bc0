/**
 * Keeps the URL fragment equal to the current state, debounced and with history.replaceState so
 * dragging a slider neither floods the history nor adds Back-button entries.
 */
import { encodeShare } from './link/shareCodec';
import { shareStateOf, usePlayground } from './playgroundStore';
import { useSnapshot } from './snapshotStore';

const DEBOUNCE_MS = 300;

let timer: ReturnType<typeof setTimeout> | undefined;
/** While a link's training is being replayed, the link keeps saying where the replay is going. */
let replayTarget: number | undefined;

export function setReplayTarget(step: number | undefined): void {
  replayTarget = step;
  schedule();
}

/** The fragment (without '#') for the current state. */
export function currentFragment(): string {
  const state = shareStateOf(usePlayground.getState());
  const status = useSnapshot.getState().snapshot?.status;
  const step = status?.step ?? 0;
  if (replayTarget !== undefined && step >= replayTarget && !status?.running)
    replayTarget = undefined;
  const trained = replayTarget ?? (useSnapshot.getState().phase === 'ready' ? step : state.trained);
  return encodeShare({ ...state, trained });
}

/** The fragment this module last wrote, or the one the page accepted from outside. */
let lastWritten: string | undefined;

function write(): void {
  timer = undefined;
  // The address changed under us (a pasted link, Back/Forward) and its hashchange has not been
  // handled yet: writing now would overwrite that history entry with the state being left.
  if (lastWritten !== undefined && location.hash !== lastWritten) return;
  const fragment = `#${currentFragment()}`;
  if (location.hash !== fragment) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${fragment}`);
  }
  lastWritten = location.hash;
}

/** The page now follows the address bar's fragment (at start, or after a hashchange). */
export function acceptCurrentUrl(): void {
  lastWritten = location.hash;
  schedule();
}

function schedule(): void {
  if (timer !== undefined) return;
  timer = setTimeout(write, DEBOUNCE_MS);
}

/** Write any pending change now (before copying the link). */
export function flushUrl(): void {
  if (timer !== undefined) clearTimeout(timer);
  write();
}

let started = false;

export function startUrlSync(): void {
  if (started) return;
  started = true;
  lastWritten = location.hash;
  usePlayground.subscribe(schedule);
  useSnapshot.subscribe((s, prev) => {
    if (s.snapshot?.status.step !== prev.snapshot?.status.step || s.phase !== prev.phase)
      schedule();
  });
}
