import { describe, expect, it } from 'vitest';
import { LossHistory } from '../../src/worker/lossHistory';

describe('loss history copies (Undo and session files)', () => {
  it('a clone is independent and replaceWith restores it exactly', () => {
    const h = new LossHistory(8);
    for (let s = 1; s <= 20; s++) h.add(s, 1 / s);
    const kept = h.clone();
    const before = h.values();
    for (let s = 21; s <= 30; s++) h.add(s, 5);
    expect(h.values()).not.toEqual(before);
    expect(kept.values()).toEqual(before);
    h.replaceWith(kept);
    expect(h.values()).toEqual(before);
    // And it goes on merging from where it was.
    h.add(21, 0.01);
    expect(h.last?.step).toBe(21);
  });

  it('restorePoints starts from saved points and appends after them', () => {
    const h = new LossHistory(100);
    h.restorePoints([
      { step: 10, loss: 0.5 },
      { step: 20, loss: 0.25 },
    ]);
    h.add(21, 0.2);
    expect(h.values().map((p) => p.step)).toEqual([10, 20, 21]);
  });
});
