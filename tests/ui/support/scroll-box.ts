// jsdom does no layout: give scroll containers a fixed viewport and a scroll height taken from their content,
// so the virtualised log viewer and its auto-scroll behave as in a browser.

const VIEWPORT = 400;
const tops = new WeakMap<Element, number>();

function contentHeight(el: HTMLElement): number {
  const inner = el.firstElementChild as HTMLElement | null;
  return inner ? Number.parseFloat(inner.style.height || '0') || 0 : 0;
}

/** Installs layout getters on HTMLElement.prototype for `.log-scroll` boxes; returns an uninstall function. */
export function installScrollLayout(): () => void {
  const proto = HTMLElement.prototype;
  const saved = ['clientHeight', 'clientWidth', 'scrollHeight', 'scrollTop'].map(
    (key) =>
      [
        key,
        Object.getOwnPropertyDescriptor(Element.prototype, key) ?? Object.getOwnPropertyDescriptor(proto, key),
      ] as const,
  );
  const isBox = (el: HTMLElement) => el.classList.contains('log-scroll');
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isBox(this) ? VIEWPORT : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return isBox(this) ? 800 : 0;
    },
  });
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isBox(this) ? Math.max(VIEWPORT, contentHeight(this)) : 0;
    },
  });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return tops.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const max = Math.max(0, this.scrollHeight - this.clientHeight);
      tops.set(this, Math.min(Math.max(0, value), max));
      // Browsers fire `scroll` after a programmatic scroll too; the virtualiser relies on it.
      queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
    },
  });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

/** The viewport height the fake layout uses. */
export const SCROLL_VIEWPORT = VIEWPORT;
