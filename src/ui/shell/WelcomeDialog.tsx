/**
 * A first visit's welcome: what the paper found and the two ways in. Shown once per browser, and
 * never over a shared link (a link opens exactly what it describes).
 */
import { useModalDialog } from './useModalDialog';

const SEEN_KEY = 'nmrnn-playground:welcome-seen';

export function shouldWelcome(): boolean {
  try {
    return location.hash.length <= 1 && localStorage.getItem(SEEN_KEY) === null;
  } catch {
    return false;
  }
}

function markSeen(): void {
  try {
    localStorage.setItem(SEEN_KEY, '1');
  } catch {
    // Private modes may refuse storage; the welcome then shows again next time, which is harmless.
  }
}

export function WelcomeDialog({
  open,
  onClose,
  onOpenPresets,
  onPlay,
}: {
  open: boolean;
  onClose: () => void;
  onOpenPresets: () => void;
  onPlay: () => void;
}) {
  const dialog = useModalDialog(open);
  const close = (then?: () => void) => {
    markSeen();
    onClose();
    then?.();
  };
  return (
    <dialog
      ref={dialog}
      className="app-welcome"
      aria-labelledby="welcome-title"
      onClose={() => close()}
    >
      <h2 id="welcome-title">Welcome to the NM-RNN Playground</h2>
      <p>
        Brains reuse the same circuits for different jobs by <em>neuromodulation</em>: signals that
        turn the strength of connections up or down. The paper behind this playground (Costacurta et
        al., NeurIPS 2024) gives a recurrent network a small neuromodulatory subnetwork whose output
        s(t) scales a few fixed directions of the recurrence. Such networks time intervals, switch
        tasks and learn new ones by changing s alone.
      </p>
      <p>
        Open one of the paper&apos;s experiments already trained, or press Play and watch this one
        learn the timing task. Every panel has a &ldquo;What am I looking at?&rdquo; note.
      </p>
      <div className="app-welcome-actions">
        <button type="button" onClick={() => close(onOpenPresets)}>
          Open a preset
        </button>
        <button type="button" onClick={() => close(onPlay)}>
          Press Play
        </button>
      </div>
    </dialog>
  );
}
