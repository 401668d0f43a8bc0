/**
 * Messages for the user that are not tied to one control: link problems, import errors, backend
 * fallbacks. Each is shown until dismissed (or replaced by the same source).
 */
import { create } from 'zustand';

export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  id: number;
  level: NoticeLevel;
  text: string;
  /** Where it came from ('link', 'import', 'backend', …); a new notice from a source can replace old ones. */
  source: string;
  /** A button in the notice (e.g. Undo). */
  action?: NoticeAction;
}

export interface NoticeAction {
  label: string;
  run: () => void;
}

interface NoticeState {
  notices: Notice[];
  push: (level: NoticeLevel, text: string, source: string, action?: NoticeAction) => void;
  /** Replace every notice from `source` with these texts (none clears them). */
  replaceSource: (source: string, level: NoticeLevel, texts: string[]) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useNotices = create<NoticeState>((set) => ({
  notices: [],
  push: (level, text, source, action) =>
    set((s) => ({
      notices: [...s.notices, { id: nextId++, level, text, source, ...(action ? { action } : {}) }],
    })),
  replaceSource: (source, level, texts) =>
    set((s) => ({
      notices: [
        ...s.notices.filter((n) => n.source !== source),
        ...texts.map((text) => ({ id: nextId++, level, text, source })),
      ],
    })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
