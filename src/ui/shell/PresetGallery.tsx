/**
 * The paper's experiments as cards, each with the question it invites. Opening one applies its
 * config and, where the build ships trained weights for it, opens the trained model.
 */
import { useModalDialog } from './useModalDialog';
import { PRESETS } from '../../core/config/presets';
import { hasShippedWeights } from '../../state/presetWeights';
import { presetSummary } from '../../core/config/presetResults';

export interface PresetGalleryProps {
  open: boolean;
  current?: string;
  onClose: () => void;
  onChoose: (name: string) => void;
}

export function PresetGallery({ open, current, onClose, onChoose }: PresetGalleryProps) {
  const dialog = useModalDialog(open);
  return (
    <dialog
      ref={dialog}
      className="app-gallery"
      aria-labelledby="gallery-title"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element itself.
        if (e.target === dialog.current) onClose();
      }}
    >
      <div className="app-gallery-head">
        <h2 id="gallery-title">Experiments from the paper</h2>
        <button type="button" onClick={onClose} aria-label="Close presets">
          ×
        </button>
      </div>
      <ul className="app-gallery-cards">
        {PRESETS.map((p) => {
          const trained = hasShippedWeights(p.name);
          const measured = trained ? presetSummary(p.name) : undefined;
          return (
            <li key={p.name}>
              <button
                type="button"
                className={`app-card${p.name === current ? ' app-card-current' : ''}`}
                aria-label={`${p.title}: ${p.question}`}
                aria-current={p.name === current ? 'true' : undefined}
                onClick={() => {
                  onChoose(p.name);
                  onClose();
                }}
              >
                <span className="app-card-question">{p.question}</span>
                <span className="app-card-title">{p.title}</span>
                {measured && (
                  <span className="app-card-result">
                    Measured: {measured.headline}
                    {measured.paperSaysFails
                      ? ' — the paper reports this model failing the task'
                      : ''}
                    {measured.shortfall ? ` — falls short: ${measured.shortfall}` : ''}
                  </span>
                )}
                <span className="app-card-source">
                  {trained
                    ? `opens trained (${measured ? `${measured.steps.toLocaleString('en')} steps` : 'shipped weights'}) · `
                    : ''}
                  {p.source}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </dialog>
  );
}
