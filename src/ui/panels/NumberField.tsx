import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

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
 * A number input that lets people type freely and applies the value on Enter or when the field is
 * left, so "100" never passes through N = 1 and N = 10 on its way. The spinner arrows apply at
 * once. An out-of-range or malformed entry says what is allowed beside the field and is dropped,
 * restoring the current value, when the field is left.
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
  const errorId = useId();
  const parse = (text: string): number | undefined => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) return undefined;
    if (integer && !Number.isInteger(v)) return undefined;
    return v;
  };
  const invalid = draft !== null && parse(draft) === undefined;
  const commit = (text: string | null): void => {
    if (text === null) return;
    const v = parse(text);
    if (v !== undefined && v !== value) onCommit(v);
    setDraft(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') commit(draft);
    if (e.key === 'Escape') setDraft(null);
  };
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
        aria-describedby={invalid ? errorId : undefined}
        onChange={(e) => {
          // Typing reports an inputType; the spinner arrows and arrow keys do not: apply those now.
          const typed = Boolean((e.nativeEvent as InputEvent).inputType);
          if (typed) setDraft(e.target.value);
          else commit(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => commit(draft)}
      />
      {invalid ? (
        <span id={errorId} className="nm-field-error">
          {integer ? 'a whole number' : 'a number'} from {min} to {max}
        </span>
      ) : null}
    </label>
  );
}
