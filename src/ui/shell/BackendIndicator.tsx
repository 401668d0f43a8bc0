/**
 * Which tfjs backend trains the model, how fast, and a selector to switch. The worker may answer
 * with a different backend than asked for (not available here); the selector then shows the truth.
 */
import {
  BACKEND_ORDER,
  type BackendName,
  type BackendTiming,
  type TrainingStatus,
} from '../../worker/protocol';

const LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export interface BackendIndicatorProps {
  status?: TrainingStatus;
  onSelect: (name: BackendName) => void;
  disabled?: boolean;
}

/** Why this backend: "timed here: WASM 9.8 ms/step, CPU 21.0 ms/step" (the choice first), or who chose it. */
export function backendWhy(
  status: Pick<TrainingStatus, 'backendChoice'> | undefined,
): string | undefined {
  const choice = status?.backendChoice;
  if (!choice) return undefined;
  if (choice.how === 'link') return 'chosen by the link';
  if (choice.how === 'menu') return 'chosen in the menu';
  if (choice.how === 'remembered') return 'the fastest here last time';
  const timed = (choice.timings ?? []).filter((t) => t.msPerStep !== undefined);
  if (timed.length === 0) return undefined;
  const each = (t: BackendTiming) =>
    `${LABELS[t.name]} ${t.msPerStep!.toFixed(1)} ms/step${t.note ? ` (${t.note})` : ''}`;
  return `timed here: ${timed.map(each).join(', ')}`;
}

export function BackendIndicator({ status, onSelect, disabled }: BackendIndicatorProps) {
  const speed = status ? `${status.stepsPerSec.toFixed(1)} steps/s` : 'starting…';
  const why = backendWhy(status);
  const threads = status?.threads ?? 1;
  const detail = status
    ? `${LABELS[status.backend]} backend, ${status.impl === 'fused' ? 'fused' : 'op-by-op'} recurrence, ${threads} thread${threads > 1 ? 's' : ''} per step${status.threadsNote ? ` (${status.threadsNote})` : ''}${status.backendNote ? `. ${status.backendNote}` : ''}`
    : 'The training worker is starting';
  return (
    <div className="app-backend">
      <label className="app-inline-field">
        <span>Backend</span>
        <select
          aria-label="Backend"
          value={status?.backend ?? ''}
          disabled={disabled || !status}
          onChange={(e) => onSelect(e.target.value as BackendName)}
        >
          {!status ? <option value="">…</option> : null}
          {BACKEND_ORDER.filter(
            (b) => !status?.available || status.available.includes(b) || b === status.backend,
          ).map((b) => (
            <option key={b} value={b}>
              {LABELS[b]}
            </option>
          ))}
        </select>
      </label>
      <output
        className="app-speed"
        aria-label="Training speed"
        data-testid="backend-indicator"
        title={detail}
        data-backend={status?.backend ?? ''}
        data-threads={threads}
      >
        {status ? `${LABELS[status.backend]}${status.impl === 'fused' ? ' · fused' : ''} · ` : ''}
        {threads > 1 ? `${threads} threads · ` : ''}
        {speed}
      </output>
      {why ? (
        <span className="app-backend-why" data-testid="backend-why">
          {why}
        </span>
      ) : null}
    </div>
  );
}
