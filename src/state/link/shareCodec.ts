/**
 * The share link: the whole playground state (experiment config, preset, ablations, view,
 * classroom flags) as a human-readable URL fragment, e.g.
 *
 *   #v=1&preset=mwg-nmrnn&task=mwg&intervals=12,14,16,18&…&abl=0:clamp:0,2:scale:1.5@20-60&hide=model
 *
 * Decoding treats the fragment as untrusted text: every value is parsed by a fixed table (never
 * evaluated), numbers are clamped to BOUNDS, and anything clamped, unknown or invalid becomes a
 * notice the page shows, while the rest of the link still applies. encode(decode(x)) is stable and
 * decode(encode(s)) gives back s exactly, because numbers are written in JavaScript's shortest
 * round-tripping form.
 */
import {
  componentCount,
  DEFAULT_VIEW,
  defaultShareState,
  SHARE_VERSION,
  type ShareNotice,
  type ShareState,
} from './shareState';
import { decodeAblation } from './ablationLink';
import { enc, truncate } from './linkValues';
import { TASK_CUES } from '../../core/tasks/types';
import { findPreset } from '../../core/config/presets';
import { configProblem, repairConfig } from '../../core/config/validate';
import { DEFAULT_EXPERIMENT, experimentSchema } from '../../core/config/schema';

export * from './shareState';
import { FIELDS, READERS, type Draft } from './linkFields';
export { encodeAblation } from './ablationLink';

/** The fragment (without '#') for `state`: the version, the preset, then every field in order. */
export function encodeShare(state: ShareState): string {
  const pairs: [string, string][] = [['v', String(SHARE_VERSION)]];
  if (state.preset) pairs.push(['preset', state.preset]);
  for (const field of FIELDS) {
    const value = field.write(state);
    if (value !== undefined) pairs.push([field.key, value]);
  }
  return pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

// ---- decoding ----------------------------------------------------------------------------

/** Split a fragment into decoded key/value pairs; parts that cannot be read become notices. */
function splitFragment(fragment: string, notices: ShareNotice[]): [string, string][] {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const pairs: [string, string][] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      notices.push({
        key: part,
        kind: 'malformed',
        message: `"${truncate(part)}" is not a key=value setting; ignored`,
      });
      continue;
    }
    try {
      pairs.push([decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))]);
    } catch {
      notices.push({
        key: part.slice(0, eq),
        kind: 'malformed',
        message: `"${truncate(part)}" is not valid URL encoding; ignored`,
      });
    }
  }
  return pairs;
}

/**
 * Read a fragment (with or without '#'). Always returns a valid state: what could not be read is
 * left at its default and reported in `notices`.
 */
export function decodeShare(fragment: string): { state: ShareState; notices: ShareNotice[] } {
  const notices: ShareNotice[] = [];
  const pairs = splitFragment(fragment, notices);
  const fallback = (): { state: ShareState; notices: ShareNotice[] } => ({
    state: defaultShareState(),
    notices: [
      ...notices,
      {
        key: '',
        kind: 'malformed',
        message: 'The link could not be read; showing the default playground.',
      },
    ],
  });
  if (pairs.length === 0) {
    return notices.length > 0 ? fallback() : { state: defaultShareState(), notices };
  }

  const byKey = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (byKey.has(k)) {
      notices.push({
        key: k,
        kind: 'invalid',
        message: `${k} is given more than once; using the last`,
      });
    }
    byKey.set(k, v);
  }

  const v = byKey.get('v');
  if (v === undefined) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `the link has no version (v=); reading it as version ${SHARE_VERSION}`,
    });
  } else if (!/^\d+$/.test(v)) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `version "${truncate(v)}" is not a number; reading the link as version ${SHARE_VERSION}`,
    });
  } else if (Number(v) > SHARE_VERSION) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `this link was made by a newer version (v=${v}); settings this version does not know are ignored`,
    });
  }

  let preset: string | undefined;
  let base = DEFAULT_EXPERIMENT;
  const presetName = byKey.get('preset');
  if (presetName !== undefined) {
    const p = findPreset(presetName);
    if (p) {
      preset = p.name;
      base = p.config;
    } else {
      notices.push({
        key: 'preset',
        kind: 'unknown',
        message: `there is no preset "${truncate(presetName)}"; ignored`,
      });
    }
  }

  const draft: Draft = {
    config: structuredClone(base),
    weights: false,
    trained: 0,
    view: structuredClone(DEFAULT_VIEW),
    hide: [],
    lock: [],
  };
  let understood = preset !== undefined || (v !== undefined && /^\d+$/.test(v)) ? 1 : 0;
  for (const [key, raw] of byKey) {
    if (key === 'v' || key === 'preset') continue;
    // Own keys only: "valueOf" or "__proto__" must read as unknown settings, not Object methods.
    const setter = READERS.get(key);
    if (!setter) {
      notices.push({
        key,
        kind: 'unknown',
        message: `unknown setting "${truncate(key)}"; ignored`,
      });
      continue;
    }
    const r = setter(draft, raw);
    if (!r.ok) {
      notices.push({ key, kind: 'invalid', message: `${key}: ${r.error}; kept the default` });
    } else {
      understood += 1;
      if (r.note) notices.push({ key, kind: 'clamped', message: `${key}: ${r.note}` });
    }
  }
  if (understood === 0) return fallback();

  const checked = experimentSchema.safeParse(draft.config);
  if (!checked.success) {
    // Every field is checked on its own above, so this means a rule across fields failed.
    const issue = checked.error.issues[0];
    notices.push({
      key: issue?.path.join('.') ?? '',
      kind: 'invalid',
      message: `the settings do not fit together (${issue?.path.join('.')}: ${issue?.message}); using the defaults`,
    });
    return { state: defaultShareState(), notices };
  }
  const repaired = repairConfig(checked.data);
  for (const note of repaired.notes) notices.push({ key: 'R', kind: 'clamped', message: note });
  const problem = configProblem(repaired.config);
  if (problem) {
    notices.push({
      key: '',
      kind: 'invalid',
      message: `the settings do not fit together (${problem}); using the defaults`,
    });
    return { state: defaultShareState(), notices };
  }
  const config = repaired.config;
  const ablation = decodeAblation(
    draft.ablationRaw,
    componentCount(config),
    config.model.kind,
    TASK_CUES[config.task.family],
    notices,
  );
  if (draft.weights && !preset) {
    notices.push({
      key: 'w',
      kind: 'invalid',
      message: 'w=1 needs a preset whose weights to load; ignored',
    });
    draft.weights = false;
  }
  return {
    state: {
      config,
      preset,
      weights: draft.weights,
      trained: draft.trained,
      ablation,
      view: draft.view,
      hide: draft.hide,
      lock: draft.lock,
    },
    notices,
  };
}
