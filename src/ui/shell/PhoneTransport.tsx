/**
 * On a phone the training panel is one tab among many; this bar keeps play/pause, one step and
 * the step count reachable from every other tab.
 */
import type { TrainingStatus } from '../../worker/protocol';

export interface PhoneTransportProps {
  status?: TrainingStatus;
  disabled?: boolean;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
}

export function PhoneTransport({ status, disabled, onPlay, onPause, onStep }: PhoneTransportProps) {
  const running = status?.running ?? false;
  return (
    <div className="app-transport" role="group" aria-label="Training">
      <button
        type="button"
        className="nm-primary"
        aria-label={running ? 'Pause' : 'Play'}
        disabled={disabled}
        onClick={running ? onPause : onPlay}
      >
        {running ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button type="button" aria-label="Step" disabled={disabled || running} onClick={onStep}>
        Step
      </button>
      <output aria-label="Training progress summary">
        step {status?.step ?? 0}
        {status?.running ? ` · ${status.stepsPerSec.toFixed(1)} steps/s` : ''}
      </output>
    </div>
  );
}
