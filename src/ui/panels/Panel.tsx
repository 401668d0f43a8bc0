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
}

/** A titled region: the h2 names it for assistive technology, so landmarks read "Loss", "s(t)"…. */
export function Panel({ title, actions, children, className, testId }: PanelProps) {
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
      {children}
    </section>
  );
}
