import { describe, expect, it } from 'vitest';
import { figureCsv, fileStem } from '../../src/ui/plots/figureCsv';

describe('plot data as CSV', () => {
  it('writes one row per point with the trace name, quoting what needs it', () => {
    const csv = figureCsv([
      { type: 'scatter', name: 'loss, train', x: [1, 2], y: [0.5, Number.NaN] },
      { type: 'scatter', y: Float32Array.from([3]) },
      { type: 'scatter', name: 'gaps', x: [1, null, 2], y: [1, null, 2] },
    ]);
    expect(csv).toBe(
      'trace,x,y\n"loss, train",1,0.5\n"loss, train",2,\ntrace 2,0,3\ngaps,1,1\ngaps,2,2\n',
    );
  });

  it('adds z for 3-D traces and makes file names from labels', () => {
    expect(figureCsv([{ type: 'scatter3d', name: 'a', x: [1], y: [2], z: [3] }])).toBe(
      'trace,x,y,z\na,1,2,3\n',
    );
    expect(fileStem('Training loss over steps (log)')).toBe('training-loss-over-steps-log');
    expect(fileStem('∑')).toBe('plot');
  });
});
