/**
 * Taking things out of the page: the model file, the whole session, the link.
 */
import { session } from './sessionClient';
import { usePlayground } from './playgroundStore';
import { useSnapshot } from './snapshotStore';
import { currentFragment, flushUrl } from './urlSync';
import { allowed, errorText, notify } from './actionSupport';
import { downloadText } from './download';

export async function exportModelFile(): Promise<void> {
  if (!allowed('file')) return;
  try {
    const text = await session().exportModel();
    const { config } = usePlayground.getState();
    const step = useSnapshot.getState().snapshot?.status.step ?? 0;
    downloadText(text, `nmrnn-${config.task.family}-${config.model.kind}-step${step}.json`);
  } catch (e) {
    notify('error', `Export failed: ${errorText(e)}`, 'export');
  }
}

/**
 * The whole session in one file: the model file plus the step, the optimiser's moments, the loss
 * and evaluation curves and the page's view (as a link fragment, so reading it back goes through
 * the link decoder's checks). "Import" reads it back exactly.
 */
export async function exportSessionFile(): Promise<void> {
  if (!allowed('file')) return;
  try {
    flushUrl();
    const text = await session().exportSession({ link: currentFragment() });
    const { config } = usePlayground.getState();
    const step = useSnapshot.getState().snapshot?.status.step ?? 0;
    downloadText(text, `nmrnn-session-${config.task.family}-${config.model.kind}-step${step}.json`);
  } catch (e) {
    notify('error', `Saving the session failed: ${errorText(e)}`, 'export');
  }
}

/** Put the current state's link on the clipboard; returns it (also when the clipboard is refused). */
export async function copyLink(): Promise<{ url: string; copied: boolean }> {
  flushUrl();
  const url = location.href;
  if (!allowed('share')) return { url, copied: false };
  try {
    await navigator.clipboard.writeText(url);
    return { url, copied: true };
  } catch {
    return { url, copied: false };
  }
}
