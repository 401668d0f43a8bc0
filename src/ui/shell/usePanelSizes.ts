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

/**
 * The presentation layout (projectors) gives up fitting one screen: the page scrolls instead, each
 * s(t) row gets at least 100 px and the PCA a full screen's worth, so the back row can read them.
 */
export function presentationSizesFor(windowHeight: number): PanelSizes {
  const h = Math.max(600, windowHeight);
  return {
    output: clamp(h * 0.4, 240, 480),
    signalRow: clamp(h * 0.16, 100, 170),
    loss: clamp(h * 0.4, 240, 420),
    pca: clamp(h * 0.7, 360, 700),
    task: clamp(h * 0.35, 220, 360),
  };
}

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

export function usePanelSizes(components: number, present = false): PanelSizes {
  const height = useSyncExternalStore(
    subscribe,
    () => window.innerHeight,
    () => 768,
  );
  return present ? presentationSizesFor(height) : panelSizesFor(height, components);
}
