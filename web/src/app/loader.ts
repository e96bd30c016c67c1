// Loads a part of the application on demand (a chunk fetched with import():
// a module's screens, a language's messages) once, and tells its subscribers
// how far it got: idle (not asked for yet), loading, ready (with the value)
// or failed (with the error). A failed load is forgotten, so retry() fetches
// again (the network came back); while a load is under way, asking again
// joins it instead of fetching twice. No imports: tests/unit/loader.test.mjs
// runs it in Node. Single-threaded (the browser's event loop); not reentrant
// from a subscriber beyond what is documented.

export type LoadState<T> =
  | { kind: 'idle' }
  | { kind: 'loading'; attempt: number }
  | { kind: 'ready'; value: T }
  | { kind: 'failed'; error: unknown; attempt: number };

export interface Loader<T> {
  // The current state (a new object at every change, so it can be compared).
  state(): LoadState<T>;
  // Starts the load when idle (a failed load stays failed: see retry()).
  // Returns a promise of the value, rejected with the error if it failed.
  load(): Promise<T>;
  // Loads again after a failure; when not failed, the same as load().
  retry(): Promise<T>;
  // Calls `listener` after every change of state; returns the unsubscriber.
  subscribe(listener: () => void): () => void;
}

// A loader calling `fetch` (e.g. () => import('./screens')) at most once
// successfully; `fetch` runs again only through retry() after a failure.
export function createLoader<T>(fetch: () => Promise<T>): Loader<T> {
  let current: LoadState<T> = { kind: 'idle' };
  let pending: Promise<T> | null = null;
  let attempts = 0;
  const listeners = new Set<() => void>();

  const set = (next: LoadState<T>) => {
    current = next;
    for (const listener of [...listeners]) listener();
  };

  const start = (): Promise<T> => {
    attempts += 1;
    const attempt = attempts;
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fetch());
    } catch (error) {
      promise = Promise.reject(error);
    }
    pending = promise.then(
      (value) => {
        set({ kind: 'ready', value });
        return value;
      },
      (error: unknown) => {
        pending = null;
        set({ kind: 'failed', error, attempt });
        throw error;
      },
    );
    set({ kind: 'loading', attempt });
    return pending;
  };

  const load = (): Promise<T> => {
    if (current.kind === 'ready') return Promise.resolve(current.value);
    if (current.kind === 'failed') return Promise.reject(current.error);
    return pending ?? start();
  };

  return {
    state: () => current,
    load,
    retry: () => (current.kind === 'failed' ? start() : load()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
