/**
 * Which tfjs backend trains the model, how fast, and a selector to switch. The worker may answer
 * with a different backend than asked for (not available here); the selector then shows the truth.
 */
import { BACKEND_ORDER, type BackendName, type TrainingStatus } from '../../worker/protocol';

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

export function BackendIndicator({ status, onSelect, disabled }: BackendIndicatorProps) {
  const speed = status ? `${status.stepsPerSec.toFixed(1)} steps/s` : 'starting…';
  const detail = status
    ? `${LABELS[status.backend]} backend, ${status.impl === 'fused' ? 'fused' : 'op-by-op'} recurrence${status.backendNote ? `. ${status.backendNote}` : ''}`
    : 'The training worker is starting';
  return (
    <div className="app-backend" title={detail}>
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
        data-backend={status?.backend ?? ''}
      >
        {status ? `${LABELS[status.backend]}${status.impl === 'fused' ? ' · fused' : ''} · ` : ''}
        {speed}
      </output>
    </div>
  );
}
