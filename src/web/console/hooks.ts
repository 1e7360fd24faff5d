// Loading data and running mutations, with the states every screen shows the same way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { newIdempotencyKey } from '../lib/api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change or on reload(); a stale answer never overwrites a newer one. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; loading: boolean }>({ error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, error: null, loading: true }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, error: null, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => controller.abort();
    // The caller lists what `load` depends on.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Action {
  /** Runs fn with this action's Idempotency-Key; undefined when it failed (see error). */
  run<T>(fn: (idempotencyKey: string) => Promise<T>): Promise<T | undefined>;
  busy: boolean;
  error: unknown;
  clear: () => void;
}

/**
 * One user action (a form, a button). Its Idempotency-Key is kept until the action succeeds, so
 * a retry after a 503 or a lost answer replays the committed write instead of writing twice; a
 * refused attempt stores nothing on the server, so the corrected retry may reuse the key.
 */
export function useAction(): Action {
  const key = useRef<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: (idempotencyKey: string) => Promise<T>): Promise<T | undefined> => {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const result = await fn(key.current);
      key.current = null;
      return result;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear };
}
