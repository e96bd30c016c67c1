// The sign-in screen: username and password, POST /api/v1/session.

import { useState } from 'preact/hooks';
import { ApiError, call, type Agency, type Me, type User } from './api';
import { ErrorNotice, Field, fieldError, focusField, isFieldError } from './components';
import { t } from './i18n';
import { clearSession, storeSession, type Session } from './session';
import { SIGN_IN } from '../modules/paths';

export const SIGN_IN_PATH = SIGN_IN;

// Loads who is signed in and their agency, for a token just stored.
export async function loadSession(token: string, expires_at: string): Promise<Session> {
  const [me, agency] = await Promise.all([
    call<Me>('GET', '/api/v1/me'),
    call<Agency>('GET', '/api/v1/agency'),
  ]);
  // A node that lists no permissions offers nothing beyond the home page.
  if (!Array.isArray(me.permissions)) me.permissions = [];
  return { token, expires_at, me, agency };
}

interface SessionCreated {
  token: string;
  expires_at: string;
  user: User;
}

interface Props {
  notice?: 'ended' | 'signed-out';
  onSignedIn: (session: Session) => void;
}

export function SignIn({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await call<SessionCreated>('POST', '/api/v1/session', {
        body: { username, password },
      });
      storeSession({ token: created.token, expires_at: created.expires_at });
      onSignedIn(await loadSession(created.token, created.expires_at));
    } catch (err) {
      clearSession();
      setError(err);
      setPassword('');
      focusField(err, { username: 'signin-username', password: 'signin-password' });
    } finally {
      setBusy(false);
    }
  };

  const refused = error instanceof ApiError && error.status === 401;
  const otherError = error && !refused && !isFieldError(error, ['username', 'password']);
  return (
    <section class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title" tabIndex={-1}>
        {t('app.signin.title')}
      </h1>
      {notice === 'ended' && (
        <p class="notice" role="status">
          {t('app.signin.ended')}
        </p>
      )}
      {notice === 'signed-out' && (
        <p class="notice" role="status">
          {t('app.signin.signed_out')}
        </p>
      )}
      {refused && (
        <div class="notice notice-error" role="alert">
          <p>{t('app.signin.refused')}</p>
        </div>
      )}
      {otherError && <ErrorNotice error={error} />}
      <form onSubmit={submit} noValidate>
        <Field id="signin-username" label={t('app.signin.username')} error={fieldError(error, 'app', 'username')}>
          {(aria) => (
            <input
              {...aria}
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              dir="ltr"
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="signin-password" label={t('app.signin.password')} error={fieldError(error, 'app', 'password')}>
          {(aria) => (
            <input
              {...aria}
              name="password"
              type="password"
              autoComplete="current-password"
              dir="ltr"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('app.signin.busy') : t('app.signin.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
