/**
 * Shipped weights for presets (public/presets/<name>.json). Which presets have them is decided at
 * build time, so the page never asks the server for a file that is not there (a 404 would show up
 * as a console error and a wasted request).
 */
const FILES = import.meta.glob('../../public/presets/*.json', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const BY_NAME = new Map(
  Object.entries(FILES).map(([path, url]) => [path.replace(/^.*\/([^/]+)\.json$/, '$1'), url]),
);

export function hasShippedWeights(preset: string | undefined): boolean {
  return preset !== undefined && BY_NAME.has(preset);
}

/** The model-file text shipped for `preset`, or undefined when there is none or it cannot load. */
export async function fetchShippedWeights(preset: string): Promise<string | undefined> {
  const url = BY_NAME.get(preset);
  if (!url) return undefined;
  try {
    const res = await fetch(url);
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}
