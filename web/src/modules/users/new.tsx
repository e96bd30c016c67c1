// Creating a user account (admin): the node validates every field and names
// the one at fault; a generated password is shown once.

import { useState } from 'preact/hooks';
import { call, type Role, type User } from '../../app/api';
import { ErrorNotice, Field, fieldError, focusField, isFieldError, Link, Msg, Name } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { pathFor } from '../../app/router';
import { OncePassword, PURPOSE, RoleOptions } from './common';
import { USER, USERS } from './paths';

const FIELDS = ['username', 'display_name', 'role', 'password'] as const;
const IDS: Record<string, string> = {
  username: 'new-user-username',
  display_name: 'new-user-display-name',
  role: 'new-user-role',
  password: 'new-user-password',
};

interface Created {
  user: User;
  initial_password?: string;
}

export function NewUser(_: ScreenProps) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { username, display_name: displayName, role };
      if (password) body.password = password;
      setCreated(await call<Created>('POST', '/api/v1/users', { body, purpose: PURPOSE }));
      setPassword('');
    } catch (err) {
      setError(err);
      focusField(err, IDS);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <>
        <h1 tabIndex={-1}>{t('users.created.title')}</h1>
        <p role="status" class="notice notice-ok">
          <Msg k="users.created.text" values={{ name: <Name>{created.user.display_name}</Name> }} />
        </p>
        {created.initial_password && (
          <OncePassword id="initial-password" password={created.initial_password} label={t('users.password.initial')} />
        )}
        <ul class="links">
          <li>
            <Link href={pathFor(USER, { id: created.user.id })}>{t('users.created.open')}</Link>
          </li>
          <li>
            <Link href={USERS}>{t('users.back')}</Link>
          </li>
        </ul>
      </>
    );
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('users.new.title')}</h1>
      {error && !isFieldError(error, FIELDS) && <ErrorNotice error={error} />}
      {error && isFieldError(error, FIELDS) && (
        <p class="notice notice-error" role="alert">
          {t('users.new.fix')}
        </p>
      )}
      <form onSubmit={submit} noValidate class="form">
        <Field
          id={IDS.username}
          label={t('users.field.username')}
          hint={t('users.hint.username')}
          error={fieldError(error, 'users', 'username')}
        >
          {(aria) => (
            <input
              {...aria}
              type="text"
              name="username"
              autoComplete="off"
              autoCapitalize="none"
              spellcheck={false}
              dir="ltr"
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id={IDS.display_name}
          label={t('users.field.display_name')}
          hint={t('users.hint.display_name')}
          error={fieldError(error, 'users', 'display_name')}
        >
          {(aria) => (
            <input
              {...aria}
              type="text"
              name="display_name"
              autoComplete="off"
              dir="auto"
              value={displayName}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id={IDS.role} label={t('users.field.role')} error={fieldError(error, 'users', 'role')}>
          {(aria) => (
            <select {...aria} name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <RoleOptions placeholder />
            </select>
          )}
        </Field>
        <Field
          id={IDS.password}
          label={t('users.field.password_optional')}
          hint={t('users.hint.password')}
          error={fieldError(error, 'users', 'password')}
        >
          {(aria) => (
            <input
              {...aria}
              type="password"
              name="password"
              autoComplete="new-password"
              dir="ltr"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('users.new.submit')}
          </button>
          <Link class="button secondary" href={USERS}>
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
