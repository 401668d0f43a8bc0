/**
 * Hides or locks individual controls inside a panel, found by their accessible names, for the
 * classroom flags of a share link. The panels need no knowledge of classroom mode this way. This is
 * presentation only: the controller refuses the actions themselves (state/classroom.ts decides).
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';

export interface ClassroomScopeProps {
  /** Accessible names (aria-label) of controls to hide. */
  hide: string[];
  /** Accessible names of controls to show but disable. */
  lock: string[];
  children: ReactNode;
}

export function ClassroomScope({ hide, lock, children }: ClassroomScopeProps) {
  const ref = useRef<HTMLDivElement>(null);
  // No dependency list: the panel re-renders with every snapshot and React may recreate nodes.
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    for (const name of hide) {
      for (const el of root.querySelectorAll<HTMLElement>(`[aria-label="${CSS.escape(name)}"]`)) {
        const box = el.closest<HTMLElement>('label') ?? el;
        // The hidden attribute alone loses to panel CSS that sets display on the label.
        box.hidden = true;
        box.style.display = 'none';
      }
    }
    for (const name of lock) {
      for (const el of root.querySelectorAll<HTMLElement>(`[aria-label="${CSS.escape(name)}"]`)) {
        if ('disabled' in el) (el as HTMLInputElement).disabled = true;
        el.setAttribute('aria-disabled', 'true');
        el.title = 'Locked by the teacher’s link';
      }
    }
  });
  return (
    <div ref={ref} className="app-scope">
      {children}
    </div>
  );
}
