import { useId, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';

/**
 * Shows `label` on hover and keyboard focus; the wrapped control is described by it so screen readers
 * announce it too (works for disabled buttons because the wrapper, not the button, takes the pointer).
 */
export function Tooltip({ label, children }: { label: ReactNode; children: (describedBy: string) => ReactElement }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span
      className="tooltip-anchor"
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      {children(id)}
      <span role="tooltip" id={id} className={open ? 'tooltip open' : 'tooltip'}>
        {label}
      </span>
    </span>
  );
}
