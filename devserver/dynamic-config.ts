// `--dynamic-config-value KEY=VALUE`, as `temporal server start-dev` takes it: the real server's settings the
// devserver has (size limits, when continue-as-new is suggested) become startDevServer options; other keys are
// reported back so the caller can say they have no effect here.
import type { HistoryLimits, PayloadLimits } from './context';

/** The startDevServer options that dynamic config values set. */
export interface DynamicConfigOptions {
  payloadLimits: Partial<PayloadLimits>;
  historyLimits: Partial<HistoryLimits>;
}

type Setter = (options: DynamicConfigOptions, value: number) => void;

const SETTINGS: Record<string, Setter> = {
  'limit.blobSize.error': (o, v) => (o.payloadLimits.blobSizeError = v),
  'limit.blobSize.warn': (o, v) => (o.payloadLimits.blobSizeWarn = v),
  'limit.memoSize.error': (o, v) => (o.payloadLimits.memoSizeError = v),
  'limit.memoSize.warn': (o, v) => (o.payloadLimits.memoSizeWarn = v),
  'limit.historyCount.suggestContinueAsNew': (o, v) => (o.historyLimits.suggestContinueAsNewCount = v),
  'limit.historySize.suggestContinueAsNew': (o, v) => (o.historyLimits.suggestContinueAsNewBytes = v),
};

/** Reads `KEY=VALUE` settings; throws on a malformed one or a bad number for a key the devserver knows. */
export function dynamicConfigOptions(values: string[]): { options: DynamicConfigOptions; ignored: string[] } {
  const options: DynamicConfigOptions = { payloadLimits: {}, historyLimits: {} };
  const ignored: string[] = [];
  for (const entry of values) {
    const at = entry.indexOf('=');
    if (at <= 0)
      throw new Error(`dynamic config value "${entry}" is not KEY=VALUE (e.g. limit.blobSize.error=2097152)`);
    const key = entry.slice(0, at).trim();
    const set = SETTINGS[key];
    if (!set) {
      ignored.push(key);
      continue;
    }
    const value = Number(entry.slice(at + 1).trim());
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(
        `dynamic config value ${key} must be a whole number of bytes or events, got "${entry.slice(at + 1)}"`,
      );
    set(options, value);
  }
  return { options, ignored };
}
