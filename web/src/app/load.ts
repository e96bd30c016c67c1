// The logic behind useLoad (use_load.ts), a screen's read of its data from
// the node: one load runs at a time with its own AbortController, an aborted
// load never reports (its inputs changed, or the screen closed), and the
// state moves from loading to the value or the failure of the load that
// settled. No imports: tests/unit/load.test.mjs runs it in Node.
// Single-threaded (the browser's event loop).

// How a load ended, when it was not aborted.
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

// Starts `load` with a fresh AbortSignal and calls `settle` with its outcome
// unless the load was aborted first (then never). A `load` that throws
// instead of returning a promise has failed. Returns the function that
// aborts the load.
export function startLoad<T>(load: (signal: AbortSignal) => Promise<T>, settle: (outcome: Settled<T>) => void): () => void {
  const controller = new AbortController();
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(load(controller.signal));
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.then(
    (value) => {
      if (!controller.signal.aborted) settle({ ok: true, value });
    },
    (error: unknown) => {
      if (!controller.signal.aborted) settle({ ok: false, error });
    },
  );
  return () => controller.abort();
}

// True when two input lists hold the same values (Object.is, in order), as
// a hook compares its dependencies.
export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

export interface LoadedState<T> {
  // The value of the last load that succeeded (or given by set()); null
  // before one succeeds. Kept while the next load runs and when it fails.
  data: T | null;
  // The failure of the last load that settled; null when it succeeded.
  // Kept while the next load runs.
  error: unknown;
  // Whether a load is under way.
  loading: boolean;
  // The inputs the last settled load was started with; null before one settled.
  inputs: readonly unknown[] | null;
  // The inputs `data` answers (those of the last load that succeeded); null
  // before one did.
  dataInputs: readonly unknown[] | null;
}

// The state before the first load: loading when one is about to start.
export function initialLoad<T>(loading: boolean): LoadedState<T> {
  return { data: null, error: null, loading, inputs: null, dataInputs: null };
}

// The state when a load starts (the same object when already loading).
export function beginLoad<T>(state: LoadedState<T>): LoadedState<T> {
  return state.loading ? state : { ...state, loading: true };
}

// The state when no load runs for the current inputs (the same object
// when none was running).
export function idleLoad<T>(state: LoadedState<T>): LoadedState<T> {
  return state.loading ? { ...state, loading: false } : state;
}

// The state when the load started with `inputs` settled with `outcome`.
export function settleLoad<T>(state: LoadedState<T>, inputs: readonly unknown[], outcome: Settled<T>): LoadedState<T> {
  return outcome.ok
    ? { data: outcome.value, error: null, loading: false, inputs, dataInputs: inputs }
    : { ...state, error: outcome.error, loading: false, inputs };
}

// What a screen shows of `state` for its current `inputs`: everything when
// it keeps the last value (`keep`), otherwise the value only when it
// answers these inputs and the failure only when it is theirs — so that a
// new query never shows the previous query's rows, even when it fails.
export function visibleLoad<T>(state: LoadedState<T>, inputs: readonly unknown[], keep: boolean): { data: T | null; error: unknown } {
  if (keep) return { data: state.data, error: state.error };
  return {
    data: state.dataInputs !== null && sameInputs(state.dataInputs, inputs) ? state.data : null,
    error: state.inputs !== null && sameInputs(state.inputs, inputs) ? state.error : null,
  };
}
