import { useSyncExternalStore } from 'react';
import { plotTheme, prefersDark, type PlotTheme } from '../palette';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const mql = matchMedia(QUERY);
  mql.addEventListener('change', onChange);
  return () => mql.removeEventListener('change', onChange);
}

/** True while the user's system prefers a dark colour scheme; re-renders when that changes. */
export function useDarkMode(): boolean {
  return useSyncExternalStore(subscribe, prefersDark, () => false);
}

/** The plot colours for the current scheme. */
export function usePlotTheme(): PlotTheme {
  return plotTheme(useDarkMode());
}
