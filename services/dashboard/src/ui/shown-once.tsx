import { useState } from 'react';

/**
 * A secret the gateway returns only in this answer (an API key, a signing secret): shown as text
 * with a copy button until dismissed; once dismissed, nothing can show it again.
 */
export function ShownOnce({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section className="shown-once" aria-label={label}>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> {label}:
      </p>
      <code className="secret">{value}</code>
      <div className="filter-actions">
        <button
          type="button"
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
      {copied === null ? null : <p role="status">{copied ? 'Copied.' : 'Could not copy: select the text and copy it.'}</p>}
    </section>
  );
}
