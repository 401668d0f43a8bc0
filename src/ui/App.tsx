/**
 * The playground page: header (presets, backend, link, model file), then the panels in three
 * columns — controls on the left, the network's behaviour in the middle, analyses on the right —
 * or, on a phone, one panel at a time behind tabs. The page only arranges; panels render from the
 * stores and report actions to the controller.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { componentCount, type ClassroomControl, type ViewTab } from '../state/link/shareCodec';
import * as controller from '../state/controller';
import { usePlayground } from '../state/playgroundStore';
import { useSnapshot } from '../state/snapshotStore';
import {
  AblationPanel,
  LossPanel,
  ModelPanel,
  OutputPanel,
  PcaPanel,
  SignalPanel,
  TaskPanel,
  TrainingControls,
} from './panels';
import { BackendIndicator } from './shell/BackendIndicator';
import { ClassroomScope } from './shell/ClassroomScope';
import { CopyLinkButton } from './shell/CopyLinkButton';
import { ModelFileButtons } from './shell/ModelFileButtons';
import { NoticeList } from './shell/NoticeList';
import { PhoneTransport } from './shell/PhoneTransport';
import { PresetGallery } from './shell/PresetGallery';
import { useKeyboardShortcuts, type Shortcuts } from './shell/useKeyboardShortcuts';
import { useMediaQuery } from './shell/useMediaQuery';
import { usePanelSizes } from './shell/usePanelSizes';
import './app.css';
import { actionAccess, controlAccess, type UserAction } from '../state/classroom';
import { PresetGuide } from './shell/PresetGuide';
import { shouldWelcome, WelcomeDialog } from './shell/WelcomeDialog';
import { ablatedComponents as ablatedOf } from '../core/models/ablation';
import { normalizeAblation, windowFromDrag } from './panels/ablationEdit';
import { alignmentOptions } from './plots/alignment';

const TAB_LABELS: Record<ViewTab, string> = {
  training: 'Train',
  task: 'Task',
  model: 'Model',
  output: 'Output',
  signal: 's(t)',
  loss: 'Loss',
  ablation: 'Ablation',
  pca: 'PCA',
};

/** The classroom flag that hides each panel. */
const PANEL_CONTROL: Partial<Record<ViewTab, ClassroomControl>> = {
  training: 'training',
  task: 'task',
  model: 'model',
  ablation: 'ablation',
};

/** Sub-controls of the training panel a classroom link can hide or lock, by accessible name. */
const TRAINING_CONTROL_NAMES: Partial<Record<ClassroomControl, string[]>> = {
  lr: ['Learning rate'],
  batch: ['Batch size'],
  stage: ['Train parameters'],
  seed: ['New seed'],
};

const LEFT: ViewTab[] = ['training', 'task', 'model'];
const CENTRE: ViewTab[] = ['output', 'signal'];
const RIGHT: ViewTab[] = ['loss', 'ablation', 'pca'];
const PHONE_ORDER: ViewTab[] = [
  'training',
  'output',
  'signal',
  'loss',
  'ablation',
  'pca',
  'task',
  'model',
];

const shortcuts: Shortcuts = {
  togglePlay: controller.togglePlay,
  step: () => controller.step(1),
  reset: controller.reset,
};

function namesFor(flags: ClassroomControl[]): string[] {
  return flags.flatMap((f) => TRAINING_CONTROL_NAMES[f] ?? []);
}

export function App() {
  const config = usePlayground((s) => s.config);
  const preset = usePlayground((s) => s.preset);
  const weights = usePlayground((s) => s.weights);
  const ablation = usePlayground((s) => s.ablation);
  const hide = usePlayground((s) => s.hide);
  const lock = usePlayground((s) => s.lock);
  const view = usePlayground((s) => s.view);
  const tab = view.tab;
  const setView = usePlayground((s) => s.setView);
  const snapshot = useSnapshot((s) => s.snapshot);
  const phase = useSnapshot((s) => s.phase);
  const rebuilding = useSnapshot((s) => s.rebuilding);
  const narrow = useMediaQuery('(max-width: 799px)');
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [welcomeOpen, setWelcomeOpen] = useState(shouldWelcome);

  const ready = phase === 'ready';
  const status = snapshot?.status;
  // Rendering only: whether an action may run is decided by state/classroom.ts, which the
  // controller asks before every action.
  const flags = { hide, lock };
  const locked = (c: ClassroomControl) => controlAccess(flags, c) !== 'open';
  const hidden = (c: ClassroomControl) => controlAccess(flags, c) === 'hidden';
  const blocked = (a: UserAction) => actionAccess(flags, a) !== 'open';
  const trainingLocked = locked('training');
  useKeyboardShortcuts(shortcuts, ready && !blocked('train'));

  const evalView = snapshot?.eval;
  const K = componentCount(config);
  // An ablation window may count from any event the s(t) plot aligns to.
  const windowAnchors = alignmentOptions(config.task.family).flatMap((o) =>
    o.cue ? [{ cue: o.cue, label: o.label }] : [],
  );
  const present = view.present === true;
  const sizes = usePanelSizes(evalView?.K ?? K, present);
  const ablatedComponents = useMemo(() => ablatedOf(ablation), [ablation]);

  const panels: Record<ViewTab, () => ReactNode> = {
    training: () => (
      <ClassroomScope hide={namesFor(hide)} lock={namesFor(lock)}>
        <TrainingControls
          status={status}
          training={config.training}
          family={config.task.family}
          modelKind={config.model.kind}
          seed={config.seeds.init}
          onPlay={controller.play}
          onPause={controller.pause}
          onStep={() => controller.step(1)}
          onReset={controller.reset}
          onNewSeed={controller.newSeed}
          onLearningRateChange={controller.setLearningRate}
          onBatchSizeChange={controller.setBatchSize}
          onStageChange={controller.setStage}
          onScheduleChange={(schedule) =>
            controller.setConfig({ ...config, training: { ...config.training, schedule } })
          }
          disabled={!ready || trainingLocked}
        />
      </ClassroomScope>
    ),
    task: () => (
      <TaskPanel
        task={config.task}
        onChange={(task) => controller.setConfig({ ...config, task })}
        locked={!ready || locked('task')}
        height={sizes.task}
      />
    ),
    model: () => (
      <ModelPanel
        config={config}
        onChange={(model) => controller.setConfig({ ...config, model })}
        highlightedComponents={ablatedComponents}
        disabled={!ready || locked('model')}
      />
    ),
    output: () => (
      <OutputPanel
        evalView={evalView}
        selectedTrial={view.trial}
        onSelectTrial={(trial) => setView({ trial })}
        height={sizes.output}
      />
    ),
    signal: () => (
      <SignalPanel
        evalView={evalView}
        alignment={view.align}
        onAlignmentChange={(align) => setView({ align })}
        ablation={ablation}
        rowHeight={sizes.signalRow}
        onWindowDrag={
          !ready || blocked('ablation')
            ? undefined
            : (k, span, cue) =>
                controller.setAblation(
                  windowFromDrag(normalizeAblation(ablation, K), k, span, cue, evalView?.T ?? 110),
                )
        }
      />
    ),
    loss: () => (
      <LossPanel loss={snapshot?.loss ?? []} evals={snapshot?.evals ?? []} height={sizes.loss} />
    ),
    ablation: () => (
      <AblationPanel
        K={evalView?.K ?? K}
        T={evalView?.T ?? 110}
        ablation={ablation}
        evalView={evalView}
        anchors={windowAnchors}
        onChange={controller.setAblation}
        disabled={!ready || locked('ablation')}
      />
    ),
    pca: () => (
      <PcaPanel
        evalView={evalView}
        mode={view.pcaDims === 3 ? '3d' : '2d'}
        onModeChange={(m) => setView({ pcaDims: m === '3d' ? 3 : 2 })}
        height={sizes.pca}
      />
    ),
  };

  const visible = (id: ViewTab) => {
    const c = PANEL_CONTROL[id];
    return !(c && hidden(c));
  };

  const column = (ids: ViewTab[], className: string) => (
    <div className={`app-col ${className}`}>
      {ids.filter(visible).map((id) => (
        <div key={id} className="app-slot" data-panel={id}>
          {panels[id]()}
        </div>
      ))}
    </div>
  );

  const tabs = PHONE_ORDER.filter(visible);
  const activeTab = tabs.includes(tab) ? tab : tabs[0];

  return (
    <div className={present ? 'app app-present' : 'app'}>
      <header className="app-header">
        <h1 className="app-title">
          NM-RNN Playground
          <span className="app-subtitle">neuromodulated RNNs, trained live in your browser</span>
        </h1>
        <div className="app-header-controls">
          {!hidden('presets') ? (
            <button
              type="button"
              onClick={() => setGalleryOpen(true)}
              disabled={!ready || blocked('preset')}
              title="Open one of the paper's experiments"
            >
              Presets
            </button>
          ) : null}
          {weights && !hidden('training') ? (
            <span className="app-weights">
              <span>Trained weights loaded</span>
              <button
                type="button"
                onClick={() => void controller.trainFromScratch()}
                disabled={!ready || trainingLocked}
                title="Start this experiment from its initial parameters and watch it learn"
              >
                Train from scratch
              </button>
            </span>
          ) : null}
          {!hidden('backend') ? (
            <BackendIndicator
              status={status}
              onSelect={(b) => void controller.setBackend(b)}
              disabled={!ready || locked('backend')}
            />
          ) : null}
          <button
            type="button"
            aria-pressed={present}
            onClick={() => setView({ present: !present })}
            title="Larger text and plots for a projector; the page scrolls"
          >
            Presentation
          </button>
          {!hidden('share') ? <CopyLinkButton disabled={locked('share')} /> : null}
          {!hidden('file') ? <ModelFileButtons disabled={!ready || locked('file')} /> : null}
        </div>
      </header>
      <NoticeList />
      {rebuilding && ready ? (
        <p className="app-stale-note" role="status">
          Building the model for the new settings; the plots below still show the previous one.
        </p>
      ) : null}
      <PresetGuide key={preset ?? ''} preset={preset} trained={weights} />
      {narrow ? (
        <main className={rebuilding && ready ? 'app-tabs app-stale' : 'app-tabs'}>
          {activeTab !== 'training' && !hidden('training') ? (
            <PhoneTransport
              status={status}
              disabled={!ready || trainingLocked}
              onPlay={controller.play}
              onPause={controller.pause}
              onStep={() => controller.step(1)}
            />
          ) : null}
          <div role="tablist" aria-label="Panels" className="app-tablist">
            {tabs.map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={id === activeTab}
                aria-controls={`tabpanel-${id}`}
                tabIndex={id === activeTab ? 0 : -1}
                onClick={() => setView({ tab: id })}
                onKeyDown={(e) => {
                  const i = tabs.indexOf(id);
                  const next =
                    e.key === 'ArrowRight'
                      ? tabs[(i + 1) % tabs.length]
                      : e.key === 'ArrowLeft'
                        ? tabs[(i - 1 + tabs.length) % tabs.length]
                        : undefined;
                  if (next) {
                    e.preventDefault();
                    setView({ tab: next });
                    document.getElementById(`tab-${next}`)?.focus();
                  }
                }}
              >
                {TAB_LABELS[id]}
              </button>
            ))}
          </div>
          <div
            role="tabpanel"
            id={`tabpanel-${activeTab}`}
            aria-labelledby={`tab-${activeTab}`}
            className="app-tabpanel"
          >
            {panels[activeTab]()}
          </div>
        </main>
      ) : (
        <main className={rebuilding && ready ? 'app-grid app-stale' : 'app-grid'}>
          {column(LEFT, 'app-col-left')}
          {column(CENTRE, 'app-col-centre')}
          {column(RIGHT, 'app-col-right')}
        </main>
      )}
      <WelcomeDialog
        open={welcomeOpen && ready}
        onClose={() => setWelcomeOpen(false)}
        onOpenPresets={() => setGalleryOpen(true)}
        onPlay={controller.play}
      />
      <PresetGallery
        open={galleryOpen}
        current={preset}
        onClose={() => setGalleryOpen(false)}
        onChoose={(name) => void controller.applyPreset(name)}
      />
    </div>
  );
}
