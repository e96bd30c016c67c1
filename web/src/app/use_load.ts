// A screen's read of its data from the node (through call() in api.ts):
// loads when the screen opens and again whenever one of its inputs changes
// or it asks with reload(), aborting the load under way (and the last one
// when the screen closes), so that an answer to an old question never
// lands. A failure is kept as it was thrown (an ApiError carrying the
// node's problem, or a network failure) for ErrorNotice / errorMessage in
// components.tsx to translate. The logic is in load.ts. Single-threaded
// (the browser's event loop), as every hook.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { beginLoad, idleLoad, initialLoad, type LoadedState, settleLoad, startLoad, visibleLoad } from './load';

export interface Loaded<T> {
  // The value of the last load that succeeded; null before one did. Kept
  // while the next load runs and when it fails (see LoadOptions.keep).
  data: T | null;
  // The failure of the last load that settled; null when it succeeded.
  // Kept while the next load runs: a screen hiding it then shows
  // `loading ? null : error`.
  error: unknown;
  // Whether a load is under way: from the first render when the screen
  // opens, from the effect that starts it after a change of inputs or a
  // reload().
  loading: boolean;
  // Loads again with the same inputs (a refresh button, after a change
  // made on the node); data and error stay until it settles.
  reload: () => void;
  // Replaces the data (with a value, or a function of the current data),
  // e.g. by the resource the node answered a change with.
  set: (next: T | null | ((current: T | null) => T | null)) => void;
}

export interface LoadOptions {
  // False: data and error are shown only for the inputs they answer, so
  // that a new query never shows the previous one's rows (null while it
  // loads); reload() keeps them. True (the default): kept until the next
  // load settles.
  keep?: boolean;
}

// Loads with `load` (given the load's AbortSignal, to pass on to call())
// when the screen opens and whenever an element of `inputs` changes (as a
// hook's dependencies); `load` is null when there is nothing to load (a
// permission missing, no identifier yet), which must follow from `inputs`.
// Returns the state of the loads (see Loaded).
export function useLoad<T>(
  load: ((signal: AbortSignal) => Promise<T>) | null,
  inputs: readonly unknown[],
  options: LoadOptions = {},
): Loaded<T> {
  const [state, setState] = useState<LoadedState<T>>(() => initialLoad<T>(load !== null));
  const [round, setRound] = useState(0);
  // The effect calls the render's `load`, which sees that render's values.
  const latest = useRef(load);
  latest.current = load;
  const enabled = load !== null;

  useEffect(() => {
    const current = latest.current;
    if (!current) {
      setState(idleLoad);
      return;
    }
    setState(beginLoad);
    return startLoad(current, (outcome) => setState((s) => settleLoad(s, inputs, outcome)));
  }, [...inputs, enabled, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const set = useCallback(
    (next: T | null | ((current: T | null) => T | null)) =>
      // The value set answers the inputs of the last settled load.
      setState((s) => ({
        ...s,
        data: typeof next === 'function' ? (next as (current: T | null) => T | null)(s.data) : next,
        dataInputs: s.inputs ?? s.dataInputs,
      })),
    [],
  );
  const { data, error } = visibleLoad(state, inputs, options.keep !== false);
  return {
    data,
    error,
    loading: state.loading,
    reload,
    set,
  };
}
