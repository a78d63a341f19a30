import type { ReactNode } from 'react';

/**
 * A destructive action: a danger button that asks first (the browser's own confirm dialog, which
 * every assistive technology knows) and acts only on yes.
 */
export function ConfirmedButton({
  question,
  onConfirm,
  disabled,
  label,
  title,
  children,
}: {
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  /** The accessible name, when the visible text alone does not say what it acts on. */
  label?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="danger"
      disabled={disabled}
      aria-label={label}
      title={title}
      onClick={() => {
        if (window.confirm(question)) onConfirm();
      }}
    >
      {children}
    </button>
  );
}
