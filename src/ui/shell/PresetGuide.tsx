/**
 * The open preset's question and the two or three steps that show its point, above the panels;
 * it can be folded away. The App keys it by preset, so it opens again when another preset opens.
 */
import { useState } from 'react';
import { findPreset } from '../../core/config/presets';
import { presetSummary } from '../../core/config/presetResults';

export function PresetGuide({ preset, trained }: { preset?: string; trained: boolean }) {
  const [open, setOpen] = useState(true);
  const p = preset ? findPreset(preset) : undefined;
  if (!p) return null;
  const measured = trained ? presetSummary(p.name) : undefined;
  return (
    <details
      className="app-guide"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <strong>{p.title}:</strong> {p.question}
      </summary>
      <ol aria-label="Things to try">
        {p.guide.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {measured ? (
        <p className="app-guide-measured">
          These weights: {measured.headline}
          {measured.shortfall ? ` (falls short: ${measured.shortfall})` : ''}. {p.source}.
        </p>
      ) : (
        <p className="app-guide-measured">{p.source}.</p>
      )}
    </details>
  );
}
