/**
 * Train one gallery preset and turn it into a model file the page can open trained. The file's
 * config.experiment holds the preset's ExperimentConfig and its metrics are keyed like the train
 * CLI's (`<evalSet>.<metric>`), so the page and the shipped-preset test read them the same way.
 */
import { serializeModel, type CreatedWith } from '../io/modelFile';
import type { ScanImpl } from '../models/types';
import { presetBuildConfig, type PresetBuild } from './presetPlan';
import { disposeRun, evaluateRun, trainRun, type ProgressFn } from './trainRun';

export interface BuiltPreset {
  name: string;
  text: string;
  metrics: Record<string, number | null>;
  seconds: number;
  finalLoss: number;
}

/** JSON has no NaN: a metric undefined for this model (a ramp never reached) is stored as null. */
export function jsonSafe(metrics: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
  );
}

export async function buildPresetFile(
  build: PresetBuild,
  opts: { onProgress?: ProgressFn; impl?: ScanImpl; backend: string; progressEvery?: number },
): Promise<BuiltPreset> {
  const { config } = presetBuildConfig(build);
  const run = await trainRun(config, {
    steps: build.steps,
    label: build.name,
    onProgress: opts.onProgress,
    progressEvery: opts.progressEvery,
    impl: opts.impl,
  });
  try {
    if (run.stoppedEarly) throw new Error(`${build.name}: training stopped: ${run.stoppedEarly}`);
    const metrics = jsonSafe(await evaluateRun(run));
    // No date: a rebuild on the same machine then gives the same bytes, so git shows real changes.
    const createdWith: CreatedWith = {
      app: 'nmrnn-playground presets:build',
      version: '0.1.0',
      steps: run.session.stepCount,
      preset: build.name,
      backend: opts.backend,
      impl: run.impl,
    };
    const text = serializeModel({
      config: { ...run.experiment.modelConfig, experiment: config },
      params: await run.session.getParams(),
      metrics,
      seeds: config.seeds,
      createdWith,
    });
    return {
      name: build.name,
      text,
      metrics,
      seconds: run.seconds,
      finalLoss: run.losses[run.losses.length - 1] ?? NaN,
    };
  } finally {
    disposeRun(run);
  }
}

/** The headline metrics a preset table shows, by task family (keys as stored in the file). */
const HEADLINE_KEYS = [
  'extrapolate.mseTrained',
  'extrapolate.mseExtrapolated',
  'test.mse',
  'test.percentCorrect',
] as const;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** A Markdown table of shipped preset files: steps, size and headline metrics. */
export function presetTable(files: { name: string; text: string }[]): string {
  const rows = files.map(({ name, text }) => {
    const doc = JSON.parse(text) as {
      metrics: Record<string, number | null>;
      createdWith: { steps?: number };
    };
    const cells = HEADLINE_KEYS.map((k) => {
      const v = doc.metrics[k];
      return v === undefined ? '' : v === null ? 'n/a' : Number(v).toPrecision(3);
    });
    const kib = (utf8Bytes(text) / 1024).toFixed(1);
    return `| ${name} | ${doc.createdWith.steps ?? '?'} | ${kib} | ${cells.join(' | ')} |`;
  });
  const total = files.reduce((a, f) => a + utf8Bytes(f.text), 0);
  return [
    `| preset | steps | KiB | MWG MSE trained I | MWG MSE extrapolated I | EFT MSE | % correct (3 tasks) |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...rows,
    '',
    `${files.length} files, ${(total / 1024).toFixed(1)} KiB in all.`,
  ].join('\n');
}
