import { useId, type ReactNode } from 'react';
import '../plots/plots.css';
import './panels.css';

export interface PanelProps {
  title: string;
  /** Extra controls shown on the heading row (e.g. a view toggle). */
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
  /** One paragraph on what the panel shows, behind a "What am I looking at?" disclosure. */
  help?: string;
}

/** A titled region: the h2 names it for assistive technology, so landmarks read "Loss", "s(t)"…. */
export function Panel({ title, actions, children, className, testId, help }: PanelProps) {
  const id = useId();
  return (
    <section
      className={`nm-panel${className ? ` ${className}` : ''}`}
      aria-labelledby={id}
      data-testid={testId}
    >
      <div className="nm-panel-head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="nm-panel-actions">{actions}</div> : null}
      </div>
      {help ? (
        <details className="nm-help">
          <summary>What am I looking at?</summary>
          <p>{help}</p>
        </details>
      ) : null}
      {children}
    </section>
  );
}
