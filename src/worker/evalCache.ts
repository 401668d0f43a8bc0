/**
 * The evaluation the page sees, kept up to date with as little work as possible: the intact run is
 * redone only when the parameters changed (a new step or a rebuilt model), the ablated run only when
 * the ablation or the intact run changed, and the PCA basis is refitted at most every few seconds
 * while training runs (exactly once training stops). Errors propagate: the caller decides what a
 * failed evaluation means (a backend failure).
 */
import type { EvalSet, Experiment } from '../core/experiment';
import type { PcaFit } from '../core/analysis/pca';
import { scoreBehaviour, type Behaviour } from '../core/analysis/behaviour';
import type { Ablation, Model } from '../core/models/types';
import {
  buildEvalView,
  effectiveAblation,
  fitStatePca,
  forwardRecord,
  metricsOf,
  type ForwardRecord,
} from './evaluation';
import type { EvalView, Metrics } from './protocol';

/**
 * While training runs, the PCA basis is refitted at most this often (a fit costs ~0.2 s for MWG);
 * in between, new states are drawn in the last basis. Every pause, step or reset refits.
 */
export const PCA_REFIT_MS = 3000;
/** Fewer samples for the frequent fits while running; the paused view uses more. */
const PCA_ROWS_RUNNING = 1000;

export interface IntactEval {
  /** The model build it came from (a new build with the same step is a different model). */
  version: number;
  step: number;
  set: EvalSet;
  record: ForwardRecord;
  metrics: Metrics;
  behaviour: Behaviour;
  fit?: PcaFit;
  /** The basis came from a quick or reused fit during training; refit once training stops. */
  provisionalFit: boolean;
}

interface AblatedEval {
  intact: IntactEval;
  key: string;
  record: ForwardRecord;
  metrics: Metrics;
  behaviour: Behaviour;
}

export interface RefreshArgs {
  experiment: Experiment;
  model: Model;
  version: number;
  step: number;
  running: boolean;
  ablation: Ablation | undefined;
  /** Redo the intact run if the parameters changed (false: only the ablation changed). */
  intactToo: boolean;
}

export class EvalCache {
  private intactEval: IntactEval | undefined;
  private ablatedEval: AblatedEval | undefined;
  private current: EvalView | undefined;
  private viewIds = 0;
  /** What the current view was built from, to tell whether a rebuild changed anything. */
  private viewKey = '';
  /** Counts PCA fits, since a refit changes the view without a new step. */
  private pcaFits = 0;
  private lastPcaFitAt = 0;
  /** When the intact run was last redone (the training loop spaces evaluations by it). */
  lastEvalAt = 0;
  /** How long that took, ms (evalIntervalMs keeps evaluation a small share of training). */
  lastEvalMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  get view(): EvalView | undefined {
    return this.current;
  }

  get intact(): IntactEval | undefined {
    return this.intactEval;
  }

  /** PCA fits so far (for tests and diagnostics). */
  get fits(): number {
    return this.pcaFits;
  }

  /** The model is gone (rebuilt or torn down): nothing cached belongs to the next one. */
  forgetRuns(): void {
    this.intactEval = undefined;
    this.ablatedEval = undefined;
  }

  /** A new history: no view until the next evaluation. */
  clearView(): void {
    this.current = undefined;
  }

  /**
   * Bring the view up to date. Returns the new intact evaluation when one was made (the caller
   * records it in the history), else undefined.
   */
  async refresh(a: RefreshArgs): Promise<IntactEval | undefined> {
    const set = a.experiment.evalSets[0];
    let intact = this.intactEval;
    let fresh: IntactEval | undefined;
    const stale = !intact || intact.version !== a.version || intact.step !== a.step;
    if (stale && (a.intactToo || !intact)) {
      const started = this.now();
      const record = await forwardRecord(a.model, set);
      const previous = this.intactEval;
      const reuseBasis =
        a.running &&
        previous?.fit !== undefined &&
        previous.version === a.version &&
        this.now() - this.lastPcaFitAt < PCA_REFIT_MS;
      let fit = reuseBasis ? previous?.fit : undefined;
      if (!reuseBasis) fit = this.fit(record, a.running ? PCA_ROWS_RUNNING : undefined);
      intact = {
        version: a.version,
        step: a.step,
        set,
        record,
        metrics: metricsOf(a.experiment, set, record.outputs),
        behaviour: scoreBehaviour(set.batch, record.outputs),
        fit,
        provisionalFit: a.running,
      };
      this.intactEval = intact;
      this.lastEvalAt = this.now();
      this.lastEvalMs = this.lastEvalAt - started;
      fresh = intact;
    }
    if (!intact) return fresh;
    if (!a.running && intact.provisionalFit) {
      intact.fit = this.fit(intact.record);
      intact.provisionalFit = false;
    }

    const abl = effectiveAblation(a.ablation, intact.record.K);
    const key = abl ? JSON.stringify(abl) : '';
    if (!abl) this.ablatedEval = undefined;
    else if (
      !this.ablatedEval ||
      this.ablatedEval.intact !== intact ||
      this.ablatedEval.key !== key
    ) {
      const record = await forwardRecord(a.model, set, abl);
      this.ablatedEval = {
        intact,
        key,
        record,
        metrics: metricsOf(a.experiment, set, record.outputs),
        behaviour: scoreBehaviour(set.batch, record.outputs),
      };
    }
    const viewKey = `${intact.version}:${intact.step}:${this.pcaFits}:${this.ablatedEval?.key ?? ''}`;
    if (viewKey !== this.viewKey) {
      this.viewIds += 1;
      this.viewKey = viewKey;
    }
    this.current = buildEvalView({
      id: this.viewIds,
      set,
      step: intact.step,
      intact: intact.record,
      intactMetrics: intact.metrics,
      intactBehaviour: intact.behaviour,
      ablated: this.ablatedEval
        ? {
            record: this.ablatedEval.record,
            metrics: this.ablatedEval.metrics,
            behaviour: this.ablatedEval.behaviour,
          }
        : undefined,
      fit: intact.fit,
    });
    return fresh;
  }

  private fit(record: ForwardRecord, maxRows?: number): PcaFit | undefined {
    this.lastPcaFitAt = this.now();
    this.pcaFits += 1;
    return fitStatePca(record, maxRows);
  }
}

const EVAL_INTERVAL_MS = 500;
/** Large evaluation sets (EFT: 500 trials) are re-run and redrawn less often while training. */
const EVAL_INTERVAL_LARGE_MS = 1500;
const LARGE_EVAL_POINTS = 5000;

/**
 * While training, evaluation takes at most about this share of the loop's time: where one takes
 * long (a slow device, a large evaluation set) it is redrawn less often rather than slowing
 * training. On a desktop the presets' sets take 10–30 ms, well inside the fixed intervals.
 */
const EVAL_SHARE = 0.1;

/**
 * How long training runs between two evaluations of `experiment`'s plotted set, given that the last
 * one took `lastEvalMs`.
 */
export function evalIntervalMs(experiment: Experiment | undefined, lastEvalMs = 0): number {
  const batch = experiment?.evalSets[0]?.batch;
  const base =
    batch && batch.B * batch.T > LARGE_EVAL_POINTS ? EVAL_INTERVAL_LARGE_MS : EVAL_INTERVAL_MS;
  return Math.max(base, (lastEvalMs * (1 - EVAL_SHARE)) / EVAL_SHARE);
}
