import { LightningIcon } from '../components/icons';
import { Tooltip } from '../components/tooltip';
import { missingSentence } from './prerequisites';

/** The lightning-bolt Auto CI button; when prerequisites are missing it stays focusable but says what is missing. */
export function AutoCiButton({
  serviceName,
  missing,
  enabled,
  onOpen,
}: {
  serviceName: string;
  missing: string[];
  enabled: boolean;
  onOpen: () => void;
}) {
  // Already-enabled Auto CI stays reachable (e.g. to switch it off) even if a prerequisite went away since.
  const blocked = missing.length > 0 && !enabled;
  return (
    <Tooltip label={missing.length > 0 ? missingSentence(missing) : enabled ? 'Auto CI (on)' : 'Auto CI'}>
      {(describedBy) => (
        <button
          type="button"
          className={`icon-button auto-ci-button${enabled ? ' on' : ''}`}
          aria-label={`Auto CI for ${serviceName}`}
          aria-describedby={describedBy}
          aria-disabled={blocked || undefined}
          onClick={() => !blocked && onOpen()}
        >
          <LightningIcon size={18} />
        </button>
      )}
    </Tooltip>
  );
}
