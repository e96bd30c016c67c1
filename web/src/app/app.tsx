// The application: restores the session, routes the address to a module's
// screen (or to sign-in), and draws the frame around it. A module's screens
// load on first use (lazy.tsx); the feature modules' messages of the
// language load at start (i18n.ts), and a signed-in screen waits for them.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { call, setSessionEndedHandler } from './api';
import { ErrorNotice, Link } from './components';
import { lang, loadMessages, messagesLoader, onLangChange, setWaitForMessages, t } from './i18n';
import { Loading, LoadFailed, ModuleScreen, useLoadState } from './lazy';
import type { Module, Screen } from './module';
import { bestMatch, currentPath, navigate, onNavigate } from './router';
import { clearSession, storedSession, type Session } from './session';
import { Shell } from './shell';
import { loadSession, SignIn, SIGN_IN_PATH } from './signin';
import { modules } from '../modules';

// Every route, with the module it belongs to.
const screens: (Screen & { module: Module })[] = modules.flatMap((m) => m.screens.map((s) => ({ ...s, module: m })));

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; notice?: 'ended' | 'signed-out' }
  | { kind: 'signed-in'; session: Session }
  | { kind: 'failed'; error: unknown };

export function App() {
  const [, setRevision] = useState(0);
  const [path, setPath] = useState(currentPath());
  const [state, setState] = useState<State>(() =>
    storedSession() ? { kind: 'loading' } : { kind: 'signed-out' },
  );
  const firstRender = useRef(true);

  useEffect(() => onLangChange(() => setRevision((r) => r + 1)), []);
  // The modules' messages of the language, fetched while the session is
  // restored or the user signs in.
  const messages = useLoadState(messagesLoader(lang()));
  useEffect(() => {
    void loadMessages();
  }, []);
  useEffect(() => onNavigate(() => setPath(currentPath())), []);
  useEffect(() => {
    setSessionEndedHandler(() => setState({ kind: 'signed-out', notice: 'ended' }));
    const stored = storedSession();
    if (!stored) return;
    loadSession(stored.token, stored.expires_at).then(
      (session) => setState({ kind: 'signed-in', session }),
      (error) => setState((s) => (s.kind === 'signed-out' ? s : { kind: 'failed', error })),
    );
  }, []);

  const match = bestMatch(screens, path);
  const signedIn = state.kind === 'signed-in';
  const messagesReady = messages.kind === 'ready';
  // A signed-in screen shows (not the notice that the messages load).
  const screenShown = signedIn && messagesReady;
  // Signed in, a language switch waits for its messages (the screen stays).
  setWaitForMessages(signedIn && messagesReady);

  // Signed in, the sign-in address leads home.
  useEffect(() => {
    if (signedIn && path === SIGN_IN_PATH) navigate('/', { replace: true });
  }, [signedIn, path]);

  // The page title names the screen.
  const titleKey = !signedIn
    ? 'app.signin.title'
    : !messagesReady
      ? 'app.loading'
      : match
        ? match.route.title
        : 'app.not_found.title';
  // Before the browser paints, so that the title never lags the screen.
  useLayoutEffect(() => {
    document.title = `${t(titleKey)} — ${t('app.name')}`;
  });

  // After a navigation, keyboard and screen-reader users land on the heading.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.focus();
  }, [path, state.kind, screenShown]);

  if (state.kind === 'loading') {
    return (
      <Shell session={null}>
        <p role="status">{t('app.loading')}</p>
      </Shell>
    );
  }
  if (state.kind === 'failed') {
    return (
      <Shell session={null}>
        <h1 tabIndex={-1}>{t('app.failed.title')}</h1>
        <ErrorNotice error={state.error} />
        <button
          type="button"
          onClick={() => {
            clearSession();
            setState({ kind: 'signed-out' });
          }}
        >
          {t('app.signin.again')}
        </button>
      </Shell>
    );
  }
  if (state.kind === 'signed-out') {
    return (
      <Shell session={null}>
        <SignIn
          notice={state.notice}
          onSignedIn={(session) => {
            setState({ kind: 'signed-in', session });
            const next = new URLSearchParams(location.search).get('next');
            const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
            navigate(path === SIGN_IN_PATH ? target : location.pathname + location.search, { replace: true });
          }}
        />
      </Shell>
    );
  }

  const { session } = state;
  if (!messagesReady) {
    return (
      <Shell session={null}>
        {messages.kind === 'failed' ? (
          <LoadFailed onRetry={() => void loadMessages()} />
        ) : (
          <Loading />
        )}
      </Shell>
    );
  }
  const signOut = async () => {
    try {
      await call('DELETE', '/api/v1/session');
    } catch {
      // The session may have ended already; signing out locally is enough.
    }
    clearSession();
    setState({ kind: 'signed-out', notice: 'signed-out' });
    navigate(SIGN_IN_PATH, { replace: true });
  };

  let content;
  if (path === SIGN_IN_PATH) {
    content = null;
  } else if (!match) {
    content = (
      <>
        <h1 tabIndex={-1}>{t('app.not_found.title')}</h1>
        <p>{t('app.not_found.text')}</p>
        <p>
          <Link href="/">{t('app.not_found.home')}</Link>
        </p>
      </>
    );
  } else if (match.route.allow && !match.route.allow(session.me)) {
    content = (
      <>
        <h1 tabIndex={-1}>{t('app.forbidden.title')}</h1>
        <p>{t('app.forbidden.text')}</p>
        <p>
          <Link href="/">{t('app.not_found.home')}</Link>
        </p>
      </>
    );
  } else {
    const { route } = match;
    const props = { params: match.params, me: session.me, agency: session.agency, expiresAt: session.expires_at };
    const Component = route.component;
    if (Component) {
      content = <Component key={path} {...props} />;
    } else if (route.module.load) {
      content = (
        <ModuleScreen
          key={path}
          module={{ ...route.module, load: route.module.load }}
          pattern={route.path}
          title={route.title}
          {...props}
        />
      );
    } else {
      throw new Error(`screen ${route.path} has neither a component nor a module loader`);
    }
  }
  return (
    <Shell session={session} path={path} onSignOut={signOut}>
      {content}
    </Shell>
  );
}
