// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../ui/src/api/types';
import { LOG_ROW_HEIGHT, LogViewer } from '../../ui/src/logs/log-viewer';
import { ToastProvider } from '../../ui/src/components/toast';
import { SCROLL_VIEWPORT, installScrollLayout } from './support/scroll-box';

let uninstall: () => void;
beforeAll(() => {
  uninstall = installScrollLayout();
});
afterAll(() => uninstall());
afterEach(cleanup);

function makeLines(count: number, from = 0): LogLine[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      seq: n,
      stream: n % 10 === 9 ? 'stderr' : 'stdout',
      text: n % 1000 === 500 ? `needle at ${n}` : `step ${n}: compiling module ${n % 97}`,
    };
  });
}

function view(lines: LogLine[], live = true) {
  return (
    <ToastProvider>
      <LogViewer lines={lines} label="Build log" live={live} height={SCROLL_VIEWPORT} />
    </ToastProvider>
  );
}

const scrollBox = () => screen.getByRole('log', { name: 'Build log' });
const renderedRows = () => scrollBox().querySelectorAll('.log-line');

describe('LogViewer', () => {
  it('renders 100,000 lines quickly with only a window of rows in the DOM', async () => {
    const lines = makeLines(100_000);
    const started = performance.now();
    render(view(lines));
    const elapsed = performance.now() - started;
    // Generous: the suite shares two cores; a non-virtualised list of 100k rows takes far longer than this.
    expect(elapsed).toBeLessThan(5_000);
    expect(screen.getByText('100,000 lines')).toBeInTheDocument();
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(SCROLL_VIEWPORT / LOG_ROW_HEIGHT + 50);
    // Auto-scroll starts at the bottom: the last line is on screen with its line number.
    await waitFor(() => expect(scrollBox().querySelector('[data-line="100000"]')).not.toBeNull());
    expect(scrollBox().querySelector('[data-line="100000"]')).toHaveTextContent('step 99999: compiling module');
    expect(renderedRows().length).toBeLessThan(SCROLL_VIEWPORT / LOG_ROW_HEIGHT + 50);
  });

  it('filters 100,000 lines by the search box and keeps original line numbers', async () => {
    const user = userEvent.setup();
    render(view(makeLines(100_000), false));
    const started = performance.now();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search build log' }), { target: { value: 'needle' } });
    expect(await screen.findByText('100 of 100,000 lines')).toBeInTheDocument();
    expect(performance.now() - started).toBeLessThan(5_000);
    const rows = [...renderedRows()];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toHaveTextContent(/needle at \d+/);
    await waitFor(() =>
      expect(scrollBox().querySelector('[data-line="99501"]')?.textContent).toContain('needle at 99500'),
    );
    await user.clear(screen.getByRole('searchbox', { name: 'Search build log' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search build log' }), 'no such text');
    expect(await screen.findByText('No lines match.')).toBeInTheDocument();
  });

  it('marks search matches and keeps matching lines that stream in while searching', async () => {
    const user = userEvent.setup();
    const first = makeLines(100_000);
    const { rerender } = render(view(first));
    await user.type(screen.getByRole('searchbox', { name: 'Search build log' }), 'NEEDLE');
    expect(await screen.findByText('100 of 100,000 lines')).toBeInTheDocument();
    const marks = scrollBox().querySelectorAll('mark');
    expect(marks.length).toBeGreaterThan(0);
    expect([...marks].every((m) => m.textContent === 'needle')).toBe(true);
    const more: LogLine[] = [
      ...first,
      { seq: 100_000, stream: 'stdout', text: 'late needle arrives' },
      { seq: 100_001, stream: 'stdout', text: 'noise' },
    ];
    rerender(view(more));
    expect(await screen.findByText('101 of 100,002 lines')).toBeInTheDocument();
    await waitFor(() =>
      expect(scrollBox().querySelector('[data-line="100001"]')).toHaveTextContent('late needle arrives'),
    );
  });

  it('shows stderr in red styling and renders ANSI colours instead of escape codes', () => {
    const lines: LogLine[] = [
      { seq: 0, stream: 'stdout', text: '\u001b[32mSTEP 1/3\u001b[0m: FROM node:20' },
      { seq: 1, stream: 'stderr', text: 'npm ERR! missing script: build' },
    ];
    render(view(lines, false));
    const green = screen.getByText('STEP 1/3');
    expect(green.tagName).toBe('SPAN');
    expect(green).toHaveStyle({ color: 'rgb(0, 187, 0)' });
    expect(scrollBox().textContent).not.toContain('\u001b');
    const stderrRow = screen.getByText('npm ERR! missing script: build').closest('.log-line');
    expect(stderrRow).toHaveClass('log-stderr');
  });

  it('copies the whole log as plain text', async () => {
    const user = userEvent.setup();
    const lines: LogLine[] = [
      { seq: 0, stream: 'stdout', text: '\u001b[1mCloning\u001b[0m repo' },
      { seq: 1, stream: 'stderr', text: 'warning: detached HEAD' },
    ];
    render(view(lines, false));
    await user.click(screen.getByRole('button', { name: 'Copy all' }));
    expect(await navigator.clipboard.readText()).toBe('Cloning repo\nwarning: detached HEAD');
    expect(await screen.findByText('Log copied to the clipboard')).toBeInTheDocument();
  });

  it('follows new lines, pauses when the reader scrolls up, and resumes at the bottom', async () => {
    const first = makeLines(1_000);
    const { rerender } = render(view(first));
    const box = scrollBox();
    const bottom = () => box.scrollHeight - box.clientHeight;
    expect(box.scrollTop).toBe(bottom());

    const more = [...first, ...makeLines(50, 1_000)];
    rerender(view(more));
    expect(box.scrollTop).toBe(bottom());
    await waitFor(() => expect(box.querySelector('[data-line="1050"]')).not.toBeNull());

    // The reader scrolls up: new lines must not yank them back down.
    await act(async () => {
      box.scrollTop = 2_000;
      fireEvent.scroll(box);
    });
    expect(screen.getByRole('button', { name: 'Resume auto-scroll' })).toBeInTheDocument();
    const evenMore = [...more, ...makeLines(50, 1_050)];
    rerender(view(evenMore));
    expect(box.scrollTop).toBe(2_000);

    // Scrolling back to the bottom resumes following.
    await act(async () => {
      box.scrollTop = bottom();
      fireEvent.scroll(box);
    });
    expect(screen.queryByRole('button', { name: 'Resume auto-scroll' })).not.toBeInTheDocument();
    rerender(view([...evenMore, ...makeLines(10, 1_100)]));
    expect(box.scrollTop).toBe(bottom());

    // And the Resume button jumps back down after another pause.
    await act(async () => {
      box.scrollTop = 100;
      fireEvent.scroll(box);
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Resume auto-scroll' }));
    expect(box.scrollTop).toBe(bottom());
  });
});
