/** Import and export of a model file (DESIGN.md §2) from the page. */
import { useRef } from 'react';
import { exportModelFile, exportSessionFile, importModelFile } from '../../state/controller';

export function ModelFileButtons({ disabled }: { disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="app-file-buttons" role="group" aria-label="Model file">
      <button
        type="button"
        disabled={disabled}
        onClick={() => input.current?.click()}
        title="Load a model or session file (.json) exported from this playground or the CLI"
      >
        Import model
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Model file to import"
        className="app-hidden-input"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importModelFile(file);
        }}
      />
      <button
        type="button"
        disabled={disabled}
        onClick={() => void exportModelFile()}
        title="Download the current model's parameters, config and metrics as JSON"
      >
        Export model
      </button>
      <button
        type="button"
        disabled={disabled}
        onClick={() => void exportSessionFile()}
        title="Download everything needed to continue exactly here: weights, optimiser state, step, loss and evaluation history, and the view"
      >
        Save session
      </button>
    </div>
  );
}
