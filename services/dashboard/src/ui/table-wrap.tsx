import type { ReactNode } from 'react';

/** A table that scrolls sideways on a narrow screen. */
export function TableWrap({ children }: { children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the region scrolls sideways from 375 px; axe-core's scrollable-region-focusable requires it to be focusable so keyboard users can scroll it
    <div className="table-wrap" tabIndex={0}>
      {children}
    </div>
  );
}
