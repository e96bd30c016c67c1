// Client-side routing on the History API. Patterns use the node's Router
// syntax ("/users/{id}"): literal segments and whole-segment parameters, a
// literal winning over a parameter. The node serves index.html for every
// pattern listed in routes.json (generated from src/modules/paths.ts), so a
// bookmarked or reloaded address opens the same screen.

export type RouteParams = Record<string, string>;

// Matches `path` against `pattern`; returns the parameters or null.
export function matchPath(pattern: string, path: string): RouteParams | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(xs[i]);
      } catch {
        return null;
      }
    } else if (p !== xs[i]) {
      return null;
    }
  }
  return params;
}

// Picks the best pattern for `path`: the one with the most literal segments.
export function bestMatch<T extends { path: string }>(
  routes: readonly T[],
  path: string,
): { route: T; params: RouteParams } | null {
  let best: { route: T; params: RouteParams; literals: number } | null = null;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    const literals = route.path.split('/').filter((s) => s && !s.startsWith('{')).length;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  return best ? { route: best.route, params: best.params } : null;
}

// Fills a pattern's parameters: pathFor("/users/{id}", {id: "x"}) = "/users/x".
export function pathFor(pattern: string, params: RouteParams = {}): string {
  return pattern.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

const listeners = new Set<() => void>();

export function onNavigate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

// Goes to `href` (path and optional query) and renders its screen.
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === location.pathname + location.search) {
    notify();
    return;
  }
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  notify();
}

export function currentPath(): string {
  return location.pathname;
}

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(location.search);
}
