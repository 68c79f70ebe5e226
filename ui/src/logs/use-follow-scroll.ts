import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 24;

/**
 * Auto-scroll that follows new lines while the reader is at the bottom, pauses as soon as they scroll up,
 * and resumes when they scroll back down (or call `resume`).
 */
export function useFollowScroll(scrollRef: RefObject<HTMLElement | null>, count: number, scrollToEnd: () => void) {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const set = useCallback((value: boolean) => {
    followingRef.current = value;
    setFollowing(value);
  }, []);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let lastTop = el.scrollTop;
    const onScroll = () => {
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
      // Only an upward scroll pauses: content growing under us must not look like the reader leaving.
      if (atBottom) {
        if (!followingRef.current) set(true);
      } else if (el.scrollTop < lastTop && followingRef.current) set(false);
      lastTop = el.scrollTop;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scrollRef, set]);

  useLayoutEffect(() => {
    if (followingRef.current && count > 0) scrollToEnd();
  }, [count, scrollToEnd]);

  const resume = useCallback(() => {
    set(true);
    scrollToEnd();
  }, [scrollToEnd, set]);
  return { following, resume };
}
