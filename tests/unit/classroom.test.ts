import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/config/schema';
import { findPreset } from '../../src/core/config/presets';
import {
  actionAccess,
  configChangeActions,
  controlAccess,
  refusedAction,
} from '../../src/state/classroom';

const open = { hide: [], lock: [] };

describe('classroom locks', () => {
  it('hidden beats locked beats open, per control and per action', () => {
    const flags = { hide: ['model' as const], lock: ['training' as const] };
    expect(controlAccess(flags, 'model')).toBe('hidden');
    expect(controlAccess(flags, 'training')).toBe('locked');
    expect(controlAccess(flags, 'task')).toBe('open');
    // A preset replaces the model, so hiding the model stops presets too.
    expect(actionAccess(flags, 'preset')).toBe('hidden');
    // Locking the training panel stops everything that trains or discards training.
    for (const a of ['train', 'reset', 'scratch', 'newSeed', 'lr', 'batch', 'stage'] as const) {
      expect(actionAccess(flags, a)).toBe('locked');
    }
    expect(actionAccess(flags, 'ablation')).toBe('open');
    expect(actionAccess(open, 'train')).toBe('open');
  });

  it('a configuration change is the actions it amounts to', () => {
    const prev = structuredClone(DEFAULT_EXPERIMENT);
    expect(configChangeActions(prev, structuredClone(prev))).toEqual([]);
    const next = structuredClone(prev);
    next.model.N = 50;
    next.training.lr = 0.003;
    next.training.clip = 5;
    next.seeds.init = 7;
    expect(configChangeActions(prev, next)).toEqual(['model', 'newSeed', 'lr', 'trainingSettings']);
    const task = { ...prev, task: findPreset('eft-nmrnn')!.config.task };
    expect(configChangeActions(prev, task)).toEqual(['task']);
  });

  it('refuses the first action a flag stops, and nothing when the link has no flags', () => {
    const flags = { hide: [], lock: ['lr' as const] };
    expect(refusedAction(flags, ['model', 'lr'])).toBe('lr');
    expect(refusedAction(flags, ['model', 'batch'])).toBeUndefined();
    expect(refusedAction(open, ['preset', 'scratch', 'file'])).toBeUndefined();
  });
});
