/**
 * One answer to "can this configuration run?", for every way a configuration reaches the engine:
 * links, typed fields, imported files. Checks the schema and then the rules across fields that the
 * model builder enforces (R ≤ N when L is orthonormalised, input sizes), so a bad combination is
 * refused before it replaces a working model.
 */
import { resolveModelConfig } from '../experiment';
import { validateModelConfig } from '../models/config';
import { experimentSchema, type ExperimentConfig } from './schema';

/** Why `config` cannot run, in words for the user; undefined when it can. */
export function configProblem(config: ExperimentConfig): string | undefined {
  const parsed = experimentSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid'}`;
  }
  try {
    validateModelConfig(resolveModelConfig(parsed.data));
  } catch (e) {
    const msg = (e as Error).message;
    if (/orthonormalise rank/.test(msg)) {
      return `rank R = ${config.model.R} cannot exceed the network size N = ${config.model.N}; lower R or raise N`;
    }
    return msg;
  }
  return undefined;
}

/**
 * The nearest configuration that can run, for readers that must always produce one (links): R is
 * lowered to N when it cannot fit. Each change is described in `notes`.
 */
export function repairConfig(config: ExperimentConfig): {
  config: ExperimentConfig;
  notes: string[];
} {
  const notes: string[] = [];
  const out = structuredClone(config);
  const lowRank = out.model.kind === 'nmrnn' || out.model.kind === 'lrrnn';
  if (lowRank && out.model.orthonormalize && out.model.R > out.model.N) {
    notes.push(`R = ${out.model.R} cannot exceed N = ${out.model.N}; using R = ${out.model.N}`);
    out.model.R = out.model.N;
  }
  return { config: out, notes };
}
