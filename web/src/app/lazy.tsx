// Showing what loads on demand: a module's screens (Module.load, one chunk
// per module, fetched the first time one of its screens is opened) and the
// states around it: a translated loading notice (aria-busy, role=status)
// while the chunk arrives, and a translated error with a retry button (and a
// reload button, for when the node was updated and the old chunk is gone)
// when it fails.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n';
import { createLoader, type Loader, type LoadState } from './loader';
import type { Module, ScreenProps, ScreensPart } from './module';

// Re-renders the caller at every change of `loader`'s state; returns it.
export function useLoadState<T>(loader: Loader<T>): LoadState<T> {
  const state = loader.state();
  const [, setSeen] = useState(state);
  useEffect(() => {
    const update = () => setSeen(loader.state());
    // A change between the render and this effect is not missed.
    update();
    return loader.subscribe(update);
  }, [loader]);
  return state;
}

const screenLoaders = new Map<string, Loader<ScreensPart>>();

// The loader of `module`'s screens (one per module, kept for the session).
export function screensLoader(module: Module & { load: NonNullable<Module['load']> }): Loader<ScreensPart> {
  let loader = screenLoaders.get(module.id);
  if (!loader) {
    loader = createLoader(module.load);
    screenLoaders.set(module.id, loader);
  }
  return loader;
}

// Starts loading the screens of the module whose navigation entry leads to
// `href` (when the pointer rests on the link or it gets focus), so that on
// a slow network the click finds them loaded or on their way. A failure is
// shown, with its retry, only if the user then opens the screen.
export function prefetchScreens(modules: readonly Module[], href: string): void {
  const module = modules.find((m) => m.nav?.some((e) => e.path === href));
  if (!module?.load) return;
  const loader = screensLoader({ ...module, load: module.load });
  if (loader.state().kind === 'idle') loader.load().catch(() => {});
}

// The notice shown while a part of the application loads, under the page's
// heading (which the application focuses after a navigation).
export function Loading({ title, onHeadingFocus }: { title?: string; onHeadingFocus?: () => void }) {
  return (
    <div class="lazy-loading" aria-busy="true">
      {title && (
        <h1 tabIndex={-1} onFocus={onHeadingFocus}>
          {t(title)}
        </h1>
      )}
      <p role="status">{t('app.loading')}</p>
    </div>
  );
}

// The notice shown when a part of the application failed to load.
export function LoadFailed({ title, onRetry }: { title?: string; onRetry: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div class="lazy-failed">
      {title && <h1 tabIndex={-1}>{t(title)}</h1>}
      <div class="notice notice-error" role="alert" tabIndex={-1} ref={ref}>
        <p>{t('app.chunk.failed')}</p>
      </div>
      <div class="actions">
        <button type="button" onClick={onRetry}>
          {t('app.chunk.retry')}
        </button>
        <button type="button" class="secondary" onClick={() => location.reload()}>
          {t('app.chunk.reload')}
        </button>
      </div>
    </div>
  );
}

interface ModuleScreenProps extends ScreenProps {
  module: Module & { load: NonNullable<Module['load']> };
  // The route pattern (Screen.path) and the message key of its title.
  pattern: string;
  title: string;
}

// A screen of a module loaded on demand: loads the module's screens on
// first use, then renders the one for `pattern`.
export function ModuleScreen({ module, pattern, title, ...props }: ModuleScreenProps) {
  const loader = screensLoader(module);
  const state = useLoadState(loader);
  // Whether the user was on the loading notice's heading (focused after a
  // navigation), so that focus moves to the screen's own heading.
  const headingFocused = useRef(false);

  useEffect(() => {
    if (loader.state().kind === 'idle') loader.load().catch(() => {});
  }, [loader]);

  // In the same task as the screen's first render: focus never rests on
  // the page's body in between.
  useLayoutEffect(() => {
    if (state.kind !== 'ready' || !headingFocused.current) return;
    headingFocused.current = false;
    if (document.activeElement === document.body || !document.activeElement) {
      document.querySelector<HTMLElement>('main h1')?.focus();
    }
  }, [state.kind]);

  if (state.kind === 'ready') {
    const Component = state.value.components[pattern];
    if (!Component) throw new Error(`module ${module.id} has no screen for ${pattern}`);
    return <Component {...props} />;
  }
  if (state.kind === 'failed') {
    return <LoadFailed title={title} onRetry={() => loader.retry().catch(() => {})} />;
  }
  return <Loading title={title} onHeadingFocus={() => (headingFocused.current = true)} />;
}
