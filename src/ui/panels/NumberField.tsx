import { useState, type ReactNode } from 'react';

export interface NumberFieldProps {
  label: ReactNode;
  /** Accessible name when `label` is not plain text. */
  ariaLabel?: string;
  value: number;
  min: number;
  max: number;
  step?: number | 'any';
  integer?: boolean;
  disabled?: boolean;
  onCommit: (value: number) => void;
  title?: string;
}

/**
 * A number input that lets people type freely ("1", "10", "100") and only reports a value once it
 * parses and lies within bounds, so a half-typed number never reaches the model config. Leaving the
 * field restores the last valid value.
 */
export function NumberField({
  label,
  ariaLabel,
  value,
  min,
  max,
  step = 1,
  integer = true,
  disabled,
  onCommit,
  title,
}: NumberFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const parse = (text: string): number | undefined => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) return undefined;
    if (integer && !Number.isInteger(v)) return undefined;
    return v;
  };
  const invalid = draft !== null && parse(draft) === undefined;
  return (
    <label className="nm-field" title={title}>
      <span>{label}</span>
      <input
        type="number"
        aria-label={ariaLabel}
        value={draft ?? String(value)}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = parse(e.target.value);
          if (v !== undefined && v !== value) onCommit(v);
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  );
}
