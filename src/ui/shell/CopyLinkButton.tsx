/**
 * "Copy link": writes the current state's URL to the clipboard. Where the clipboard is refused
 * (permissions, insecure context) the link is shown in a field, selected, to copy by hand.
 */
import { useState } from 'react';
import { copyLink } from '../../state/controller';

export function CopyLinkButton({ disabled }: { disabled?: boolean }) {
  const [result, setResult] = useState<{ url: string; copied: boolean } | undefined>();
  return (
    <div className="app-copy-link">
      <button
        type="button"
        disabled={disabled}
        onClick={async () => {
          setResult(await copyLink());
          setTimeout(() => setResult((r) => (r?.copied ? undefined : r)), 2500);
        }}
        title="Copy a link that opens this exact state"
      >
        Copy link
      </button>
      <span role="status" className="app-copy-status">
        {result?.copied ? 'Link copied' : ''}
      </span>
      {result && !result.copied ? (
        <input
          className="app-link-field"
          readOnly
          aria-label="Share link"
          value={result.url}
          ref={(el) => el?.select()}
          onBlur={() => setResult(undefined)}
        />
      ) : null}
    </div>
  );
}
