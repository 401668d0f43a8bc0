/**
 * What the page's controls do: each action updates the stores and tells the worker, in that order,
 * so the UI answers at once and the worker catches up. Worker calls that rebuild the model are
 * serialised latest-wins, so dragging a size slider does not queue a rebuild per pixel. The
 * backend's choice (backendActions.ts) and taking files and links out (fileActions.ts) live beside
 * it and are re-exported here, so the page has one entry point.
 */
import * as Comlink from 'comlink';
import { findPreset } from '../core/config/presets';
import type { ExperimentConfig } from '../core/config/schema';
import { componentCount, decodeShare } from './link/shareCodec';
import { configProblem } from '../core/config/validate';
import type { Ablation } from '../core/models/types';
import type { Snapshot } from '../worker/protocol';
import { modelMismatch, readModelFile } from '../core/io/experimentFile';
import { session } from './sessionClient';
import { fitAblation, usePlayground } from './playgroundStore';
import { useSnapshot } from './snapshotStore';
import { allowed, errorText, latestOnly, notify } from './actionSupport';
import { chooseBackend } from './backendActions';
import { configChangeActions } from './classroom';
import { useNotices } from './noticeStore';
import { fetchShippedWeights, hasShippedWeights } from './presetWeights';
import { acceptCurrentUrl, currentFragment, startUrlSync, setReplayTarget } from './urlSync';

function structuralKey(c: ExperimentConfig): string {
  const { lr: _lr, stage: _stage, steps: _steps, schedule: _schedule, ...training } = c.training;
  return JSON.stringify({ task: c.task, model: c.model, seeds: c.seeds, training });
}

const configureLatest = latestOnly(
  async (args: { config: ExperimentConfig; fileText?: string }) => {
    useSnapshot.getState().setRebuilding(true);
    try {
      await session().configure(args.config, args.fileText);
      const { ablation } = usePlayground.getState();
      await session().setAblation(ablation);
    } finally {
      useSnapshot.getState().setRebuilding(false);
    }
  },
);

const ablateLatest = latestOnly(async (ablation: Ablation) => {
  await session().setAblation(ablation);
});

// ---- startup ------------------------------------------------------------------------------

let started = false;

/** Read the link, start the worker, build the model it describes, and keep the URL in sync. */
export async function startPlayground(): Promise<void> {
  if (started) return;
  started = true;
  const { state } = readLink(location.hash);
  startUrlSync();
  // A link pasted into the address bar or reached with Back/Forward applies like a fresh load;
  // the page's own URL updates use replaceState and fire no hashchange.
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === currentFragment()) {
      acceptCurrentUrl();
      return;
    }
    const next = readLink(location.hash);
    acceptCurrentUrl();
    void (async () => {
      // A pasted link that names a backend switches to it; one that does not keeps the current.
      if (next.state.view.backend) await chooseBackend(next.state);
      await applyLinkState(next.state);
    })();
  });
  const snapshots = useSnapshot.getState();
  try {
    const api = session();
    await api.subscribe(Comlink.proxy((s: Snapshot) => useSnapshot.getState().setSnapshot(s)));
    await api.init(undefined, state.view.threads);
    await chooseBackend(state);
    await applyLinkState(state);
    snapshots.setPhase('ready');
  } catch (e) {
    snapshots.setPhase('failed', errorText(e));
    notify('error', `The training worker could not start: ${errorText(e)}`, 'worker');
  }
}

/** Decode a fragment into the store, with its notices shown. */
function readLink(hash: string): ReturnType<typeof decodeShare> {
  const decoded = decodeShare(hash);
  usePlayground.getState().load(decoded.state);
  useNotices.getState().replaceSource(
    'link',
    'warning',
    decoded.notices.map((n) => n.message),
  );
  return decoded;
}

/** Build what a decoded link describes: weights if it asks for a preset's, then any replay. */
async function applyLinkState(state: ReturnType<typeof decodeShare>['state']): Promise<void> {
  const api = session();
  setReplayTarget(undefined);
  const text =
    state.weights && state.preset ? await shippedWeightsFor(state.config, state.preset) : undefined;
  if (state.weights && !text) usePlayground.setState({ weights: false });
  await configureLatest({ config: state.config, fileText: text });
  await api.setAblation(usePlayground.getState().ablation);
  if (state.trained > 0) {
    setReplayTarget(state.trained);
    await api.play(state.trained);
  }
}

// ---- training ---------------------------------------------------------------------------

export function play(): void {
  if (!allowed('train')) return;
  setReplayTarget(undefined);
  void session().play();
}

export function pause(): void {
  if (!allowed('train')) return;
  setReplayTarget(undefined);
  void session().pause();
}

export function togglePlay(): void {
  if (useSnapshot.getState().snapshot?.status.running) pause();
  else play();
}

export function step(n = 1): void {
  if (!allowed('train')) return;
  setReplayTarget(undefined);
  void session().step(n);
}

/** Same seeds, same start: the initial parameters of this config again (or the preset's weights). */
export function reset(): void {
  if (!allowed('reset')) return;
  setReplayTarget(undefined);
  const { config, weights, preset } = usePlayground.getState();
  void keepForUndo('Reset to the start').then(async () => {
    if (weights && preset) await loadPresetWeightsOrInit(config, preset);
    else await session().reset();
  });
}

export function newSeed(): void {
  if (!allowed('newSeed')) return;
  const { config } = usePlayground.getState();
  const init = (config.seeds.init + 1 + Math.floor(Math.random() * 1000)) % 2 ** 31;
  setConfig({ ...config, seeds: { ...config.seeds, init } });
}

/** A learning-rate change goes to the running trainer (setConfig keeps the model). */
export function setLearningRate(lr: number): void {
  const { config } = usePlayground.getState();
  setConfig({ ...config, training: { ...config.training, lr } });
}

/** Which parameters train, from the next step on (setConfig keeps the model). */
export function setStage(stage: ExperimentConfig['training']['stage']): void {
  const { config } = usePlayground.getState();
  setConfig({ ...config, training: { ...config.training, stage } });
}

export function setBatchSize(batchSize: number): void {
  if (!allowed('batch')) return;
  const { config } = usePlayground.getState();
  setConfig({ ...config, training: { ...config.training, batchSize } });
}

/**
 * Any config change from the controls. Changes to the task, model, seeds or optimiser rebuild
 * the model (training restarts); learning rate and stage go to the running trainer.
 */
export function setConfig(next: ExperimentConfig): void {
  if (!allowed(...configChangeActions(usePlayground.getState().config, next))) return;
  // Refuse a combination that cannot run before it replaces the model that can (one rule owner:
  // core/config/validate.ts); the current model keeps training.
  const problem = configProblem(next);
  if (problem) {
    useNotices.getState().replaceSource('config', 'error', [`Not applied: ${problem}.`]);
    return;
  }
  useNotices.getState().replaceSource('config', 'error', []);
  const store = usePlayground.getState();
  const prev = store.config;
  if (structuralKey(prev) === structuralKey(next)) {
    store.setConfig(next, { preset: store.preset, weights: store.weights });
    if (prev.training.lr !== next.training.lr) void session().setLearningRate(next.training.lr);
    if (prev.training.stage !== next.training.stage) void session().setStage(next.training.stage);
    if (JSON.stringify(prev.training.schedule) !== JSON.stringify(next.training.schedule)) {
      void session().setSchedule(next.training.schedule);
    }
    return;
  }
  // The model no longer matches the preset's shipped weights; the preset stays as the origin.
  const kept = keepForUndo('Settings changed: training starts again');
  store.setConfig(next, { preset: store.preset, weights: false });
  setReplayTarget(undefined);
  void kept.then(() => configureLatest({ config: next }));
}

// ---- undo ---------------------------------------------------------------------------------

interface PageState {
  config: ExperimentConfig;
  preset?: string;
  weights: boolean;
  ablation: Ablation;
}

/** What the page showed before the last discarding action; the worker keeps the model itself. */
let undoPage: PageState | undefined;

/**
 * Before an action that would discard a trained model (or its history): set it aside in the worker
 * and offer Undo in a notice. Nothing is offered for an untrained model.
 */
async function keepForUndo(what: string): Promise<void> {
  const s = usePlayground.getState();
  const page: PageState = {
    config: s.config,
    preset: s.preset,
    weights: s.weights,
    ablation: s.ablation,
  };
  const step = await session().keepForUndo();
  if (step === 0) return;
  undoPage = page;
  const notices = useNotices.getState();
  notices.replaceSource('undo', 'info', []);
  notices.push(
    'info',
    `${what}. The previous model (trained ${step.toLocaleString('en')} steps) is set aside.`,
    'undo',
    { label: 'Undo', run: () => void undo() },
  );
}

/** Bring back the model, optimiser state, step, history and settings the last action replaced. */
export async function undo(): Promise<void> {
  const page = undoPage;
  undoPage = undefined;
  useNotices.getState().replaceSource('undo', 'info', []);
  setReplayTarget(undefined);
  const config = await session().undo();
  if (!config || !page) return;
  const store = usePlayground.getState();
  store.setConfig(page.config, { preset: page.preset, weights: page.weights });
  store.setAblation(page.ablation);
  await session().setAblation(page.ablation);
}

// ---- presets and model files ------------------------------------------------------------

/**
 * The preset's shipped weights if there are any and they fit `config` (a link may change the
 * model, and then the weights do not apply); notices say why not.
 */
async function shippedWeightsFor(
  config: ExperimentConfig,
  preset: string,
): Promise<string | undefined> {
  const text = await fetchShippedWeights(preset);
  if (!text) {
    notify(
      'info',
      'No trained weights are shipped for this preset; starting from the initial parameters.',
      'link',
    );
    return undefined;
  }
  const mismatch = modelMismatch(config, readModelFile(text).config);
  if (mismatch) {
    notify(
      'info',
      `The link changes the preset's model (${mismatch}), so its trained weights do not apply; starting from the initial parameters.`,
      'link',
    );
    return undefined;
  }
  return text;
}

async function loadPresetWeightsOrInit(config: ExperimentConfig, preset: string): Promise<boolean> {
  const text = await fetchShippedWeights(preset);
  usePlayground.getState().setConfig(config, { preset, weights: text !== undefined });
  await configureLatest({ config, fileText: text });
  return text !== undefined;
}

/** Open a preset: its config, and its shipped weights when there are any (opens trained). */
export async function applyPreset(
  name: string,
  opts: { fromScratch?: boolean } = {},
): Promise<void> {
  const preset = findPreset(name);
  if (!preset || !allowed('preset')) return;
  setReplayTarget(undefined);
  await keepForUndo(`Opened the preset "${preset.title}"`);
  const store = usePlayground.getState();
  store.setAblation(fitAblation([], componentCount(preset.config)));
  if (!opts.fromScratch && hasShippedWeights(name)) {
    await loadPresetWeightsOrInit(structuredClone(preset.config), name);
    return;
  }
  const config = structuredClone(preset.config);
  store.setConfig(config, { preset: name, weights: false });
  await configureLatest({ config });
}

/** Start the current config from its initial parameters, dropping any loaded weights. */
export async function trainFromScratch(): Promise<void> {
  if (!allowed('scratch')) return;
  setReplayTarget(undefined);
  await keepForUndo('Training from scratch');
  const store = usePlayground.getState();
  store.setConfig(store.config, { preset: store.preset, weights: false });
  await configureLatest({ config: store.config });
}

export async function importModelFile(file: File): Promise<void> {
  if (!allowed('file')) return;
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    notify('error', `Could not read "${file.name}": ${errorText(e)}`, 'import');
    return;
  }
  let loaded;
  try {
    loaded = readModelFile(text);
  } catch (e) {
    notify(
      'error',
      `"${file.name}" was not loaded: ${errorText(e)}. Nothing was changed.`,
      'import',
    );
    return;
  }
  setReplayTarget(undefined);
  await keepForUndo(`Loaded "${file.name}"`);
  const store = usePlayground.getState();
  store.setConfig(loaded.config, { preset: undefined, weights: false });
  // A session file brings its view and ablation back too (read through the link decoder).
  const link = loaded.session?.page?.link;
  if (typeof link === 'string') {
    const { state } = decodeShare(link);
    store.setView(state.view);
    store.setAblation(fitAblation(state.ablation, componentCount(loaded.config)));
  }
  await configureLatest({ config: loaded.config, fileText: text });
  useNotices
    .getState()
    .replaceSource('import', 'info', [
      `Loaded ${loaded.session ? 'the session ' : ''}"${file.name}"${loaded.steps !== undefined ? ` (trained ${loaded.steps} steps)` : ''}. Share links cannot carry imported weights.`,
    ]);
}

// ---- ablation ---------------------------------------------------------------------------

export function setAblation(ablation: Ablation): void {
  if (!allowed('ablation')) return;
  usePlayground.getState().setAblation(ablation);
  void ablateLatest(usePlayground.getState().ablation);
}

export { setBackend } from './backendActions';
export { copyLink, exportModelFile, exportSessionFile } from './fileActions';
