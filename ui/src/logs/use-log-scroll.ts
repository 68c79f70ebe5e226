import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef } from 'react';
import { LOG_ROW_HEIGHT } from './log-row';
import { useFollowScroll } from './use-follow-scroll';

/** The log's scroll box: `count` fixed-height rows virtualised, following new lines until the reader scrolls up. */
export function useLogScroll(count: number, height: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 0, height },
  });
  const scrollToEnd = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);
  const { following, resume } = useFollowScroll(scrollRef, count, scrollToEnd);
  return { scrollRef, virtualizer, following, resume };
}

/** What `useLogScroll` gives the viewer. */
export type LogScroll = ReturnType<typeof useLogScroll>;
