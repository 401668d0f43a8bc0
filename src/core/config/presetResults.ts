/**
 * What each gallery preset's shipped model measurably does, written by `npm run presets:build`
 * from the reproduction job it was taken from (presetResults.json), read by the gallery cards.
 */
import summaries from './presetResults.json';

export interface PresetSummary {
  /** The measured result in one line, e.g. "test MSE 6.1 vs chance 36.7". */
  headline: string;
  /** Set when the shipped model falls short of what the preset should show (said on the card). */
  shortfall?: string;
  /** Which seed ships and why. */
  selection: string;
  /** The reproduction job the weights come from. */
  job: string;
  /** Training steps behind the shipped weights (retraining included). */
  steps: number;
  /** The paper reports this model failing its task. */
  paperSaysFails?: boolean;
}

const BY_NAME = summaries as Record<string, PresetSummary>;

export function presetSummary(name: string): PresetSummary | undefined {
  return BY_NAME[name];
}
