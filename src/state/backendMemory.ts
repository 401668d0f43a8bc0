/**
 * The backend this browser trains a given model size fastest on, remembered between visits so the
 * start-up race (worker/backendRace.ts) runs once per browser, adapter set and model size. A
 * choice made in the menu is remembered the same way. Storage that is unavailable or corrupt
 * simply means "not remembered".
 */
import type { ExperimentConfig } from '../core/config/schema';
import { BACKEND_ORDER, type BackendName } from '../worker/protocol';

const STORAGE_KEY = 'nmrnn-playground.backend-choice';

/** What decides which backend is fastest: the model family and sizes, and the batch size. */
export function modelSizeKey(config: ExperimentConfig): string {
  const m = config.model;
  return `${config.task.family}:${m.kind}:N${m.N}:R${m.R}:M${m.M}:B${config.training.batchSize}`;
}

function browserKey(): string {
  return typeof navigator === 'undefined' ? 'unknown' : navigator.userAgent;
}

function readAll(): Record<string, BackendName> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== 'object') return {};
    const out: Record<string, BackendName> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if ((BACKEND_ORDER as string[]).includes(String(v))) out[k] = v as BackendName;
    }
    return out;
  } catch {
    return {};
  }
}

const entryKey = (config: ExperimentConfig) => `${browserKey()}|${modelSizeKey(config)}`;

export function rememberedBackend(config: ExperimentConfig): BackendName | undefined {
  return readAll()[entryKey(config)];
}

export function rememberBackend(config: ExperimentConfig, name: BackendName): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...readAll(), [entryKey(config)]: name }));
  } catch {
    // Private mode or a full store: the next visit measures again.
  }
}
