/**
 * Space = play/pause, → = one step, r = reset. Ignored while the user types or operates a control
 * that uses those keys itself (sliders move with arrows, buttons click with space).
 */
import { useEffect } from 'react';

export interface Shortcuts {
  togglePlay: () => void;
  step: () => void;
  reset: () => void;
}

function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if ((target as HTMLElement).isContentEditable) return true;
  return target.closest('input, select, textarea, button, a[href], summary, dialog[open]') !== null;
}

export function useKeyboardShortcuts(shortcuts: Shortcuts, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return;
      if (e.key === ' ' || e.code === 'Space') {
        e.preventDefault();
        shortcuts.togglePlay();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        shortcuts.step();
      } else if (e.key === 'r' || e.key === 'R') {
        e.preventDefault();
        shortcuts.reset();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts, enabled]);
}
