/**
 * Plot heights that let the centre column (output and s(t)) fit the window without scrolling on
 * a 1366×768 screen, and grow on taller ones. Recomputed when the window resizes.
 */
import { useSyncExternalStore } from 'react';

export interface PanelSizes {
  output: number;
  signalRow: number;
  loss: number;
  pca: number;
  task: number;
}

/** Header, column padding and panel chrome (title row, padding, legend) in px. */
const FRAME = 75;
const OUTPUT_CHROME = 63;
const SIGNAL_CHROME = 125;
const GAP = 10;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

export function panelSizesFor(windowHeight: number, components: number): PanelSizes {
  const avail = Math.max(600, windowHeight - FRAME);
  // The output panel draws its main plot at `output` px and the behaviour plot at 0.8 of that.
  const output = clamp(avail * 0.235, 150, 320);
  const rows = Math.max(1, Math.min(components, 4));
  const signalRow = clamp(
    (avail - (output * 1.8 + OUTPUT_CHROME) - GAP - SIGNAL_CHROME) / rows,
    55,
    110,
  );
  return {
    output,
    signalRow,
    loss: clamp(avail * 0.26, 170, 300),
    pca: clamp(avail * 0.4, 240, 420),
    task: clamp(avail * 0.3, 190, 280),
  };
}

export function usePanelSizes(components: number): PanelSizes {
  const height = useSyncExternalStore(
    subscribe,
    () => window.innerHeight,
    () => 768,
  );
  return panelSizesFor(height, components);
}
