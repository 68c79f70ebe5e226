import { useToast } from './toast';
import { CopyIcon } from './icons';

/** Copies text (or what `getText` returns) to the clipboard and confirms with a toast. */
export function CopyButton({
  label,
  getText,
  what,
}: {
  label: string;
  getText: () => string | Promise<string>;
  what: string;
}) {
  const toast = useToast();
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        try {
          await copyText(await getText());
          toast(`${what} copied to the clipboard`);
        } catch (error) {
          toast(`Could not copy ${what.toLowerCase()}: ${(error as Error).message}`, 'error');
        }
      }}
    >
      <CopyIcon /> {label}
    </button>
  );
}

/** Writes to the clipboard, falling back to a hidden textarea where the async API is unavailable (plain http). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Fall through: permission denied or insecure context.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused clipboard access');
}
