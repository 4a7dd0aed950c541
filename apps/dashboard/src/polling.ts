import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { useSession } from './session';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  /** True until the first answer (or failure) for the current key. */
  readonly loading: boolean;
  /** Fetch now, without waiting for the next tick. */
  readonly reload: () => void;
}

/**
 * Live data without reloading the page: `load` runs at once, then every `intervalMs` while the
 * tab is visible (and again when it becomes visible), one request at a time. A new `key` starts
 * over. `intervalMs` null stops polling (nothing more will change). A 401 ends the session.
 */
export function usePolling<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number | null,
): Polled<T> {
  const { ended } = useSession();
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown; loaded: boolean }>({
    key,
    loaded: false,
  });
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      try {
        const data = await loadRef.current(controller.signal);
        if (!controller.signal.aborted) setState({ key, data, loaded: true });
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) return ended();
        setState((previous) => ({ ...previous, key, error, loaded: true }));
      }
      if (intervalMs !== null && !controller.signal.aborted) {
        timer = setTimeout(() => {
          if (document.visibilityState === 'visible') void run();
          else
            document.addEventListener('visibilitychange', () => void run(), {
              once: true,
              signal: controller.signal,
            });
        }, intervalMs);
      }
    };
    void run();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, intervalMs, tick, ended]);

  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || !state.loaded,
    reload,
  };
}
