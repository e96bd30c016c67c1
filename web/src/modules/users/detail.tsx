// One user account: its record (admin, supervisor) and, for an admin, the
// changes they may make: display name, role, disabled, a new password.

import { useState } from 'preact/hooks';
import { call, type Role, type User } from '../../app/api';
import {
  Code,
  DateTime,
  ErrorNotice,
  Field,
  fieldError,
  focusField,
  isFieldError,
  Link,
  Msg,
  Name,
} from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { useLoad } from '../../app/use_load';
import { OncePassword, PURPOSE, RoleOptions, UserStatus } from './common';
import { USERS } from './paths';

const EDIT_FIELDS = ['display_name', 'role', 'disabled'] as const;
const IDS: Record<string, string> = {
  display_name: 'edit-display-name',
  role: 'edit-role',
  disabled: 'edit-disabled',
};

function EditForm({ user, self, onSaved }: { user: User; self: boolean; onSaved: (u: User) => void }) {
  const [displayName, setDisplayName] = useState(user.display_name);
  const [role, setRole] = useState<Role>(user.role);
  const [disabled, setDisabled] = useState(user.disabled);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const changes: Record<string, unknown> = {};
  if (displayName !== user.display_name) changes.display_name = displayName;
  if (role !== user.role) changes.role = role;
  if (disabled !== user.disabled) changes.disabled = disabled;
  const changed = Object.keys(changes).length > 0;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!changed) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await call<User>('PATCH', `/api/v1/users/${encodeURIComponent(user.id)}`, {
        body: changes,
        purpose: PURPOSE,
      });
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      setError(err);
      focusField(err, IDS);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="edit-title">
      <h2 id="edit-title">{t('users.edit.title')}</h2>
      {error && !isFieldError(error, EDIT_FIELDS) && <ErrorNotice error={error} />}
      {saved && (
        <p class="notice notice-ok" role="status">
          {t('users.edit.saved')}
        </p>
      )}
      <form onSubmit={submit} noValidate class="form">
        <Field id={IDS.display_name} label={t('users.field.display_name')} error={fieldError(error, 'users', 'display_name')}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              dir="auto"
              autoComplete="off"
              value={displayName}
              onInput={(e) => {
                setDisplayName(e.currentTarget.value);
                setSaved(false);
              }}
            />
          )}
        </Field>
        <Field
          id={IDS.role}
          label={t('users.field.role')}
          hint={self ? t('users.edit.self_hint') : undefined}
          error={fieldError(error, 'users', 'role')}
        >
          {(aria) => (
            <select
              {...aria}
              value={role}
              disabled={self}
              onChange={(e) => {
                setRole(e.currentTarget.value as Role);
                setSaved(false);
              }}
            >
              <RoleOptions />
            </select>
          )}
        </Field>
        <div class="field field-check">
          <input
            id={IDS.disabled}
            type="checkbox"
            checked={disabled}
            disabled={self}
            aria-describedby="edit-disabled-hint"
            onChange={(e) => {
              setDisabled(e.currentTarget.checked);
              setSaved(false);
            }}
          />
          <label for={IDS.disabled}>{t('users.field.disabled')}</label>
          <p class="hint" id="edit-disabled-hint">
            {t('users.hint.disabled')}
          </p>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy || !changed}>
            {t('users.edit.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ResetPassword({ user, onReset }: { user: User; onReset: (u: User) => void }) {
  const [stage, setStage] = useState<'idle' | 'confirm' | 'done'>('idle');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call<{ user: User; password?: string }>(
        'POST',
        `/api/v1/users/${encodeURIComponent(user.id)}/reset-password`,
        { purpose: PURPOSE },
      );
      onReset(r.user);
      setPassword(r.password ?? '');
      setStage('done');
    } catch (err) {
      setError(err);
      setStage('idle');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="reset-title">
      <h2 id="reset-title">{t('users.reset.title')}</h2>
      <ErrorNotice error={error} />
      {stage === 'idle' && (
        <>
          <p>{t('users.reset.text')}</p>
          <button type="button" class="secondary" onClick={() => setStage('confirm')}>
            {t('users.reset.start')}
          </button>
        </>
      )}
      {stage === 'confirm' && (
        <div class="confirm" role="group" aria-labelledby="reset-confirm-text">
          <p id="reset-confirm-text">
            <Msg k="users.reset.confirm_text" values={{ name: <Name>{user.display_name}</Name> }} />
          </p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={reset} autoFocus>
              {t('users.reset.confirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setStage('idle')}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      )}
      {stage === 'done' && (
        <>
          <p class="notice notice-ok" role="status">
            {t('users.reset.done')}
          </p>
          {password && <OncePassword id="new-password" password={password} label={t('users.password.new')} />}
        </>
      )}
    </section>
  );
}

export function UserDetail({ params, me }: ScreenProps) {
  const { data: user, error, set: setUser } = useLoad(
    (signal) => call<User>('GET', `/api/v1/users/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }),
    [params.id],
  );

  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>{t('users.detail.title')}</h1>
        <ErrorNotice error={error} />
        <p>
          <Link href={USERS}>{t('users.back')}</Link>
        </p>
      </>
    );
  }
  if (!user) {
    return (
      <>
        <h1 tabIndex={-1}>{t('users.detail.title')}</h1>
        <p role="status">{t('app.loading')}</p>
      </>
    );
  }
  const self = user.id === me.id;
  return (
    <>
      <p class="breadcrumb">
        <Link href={USERS}>{t('users.back')}</Link>
      </p>
      <h1 tabIndex={-1}>
        <Name>{user.display_name}</Name>
      </h1>
      <dl class="facts">
        <dt>{t('users.field.username')}</dt>
        <dd>
          <Code>{user.username}</Code>
        </dd>
        <dt>{t('users.field.role')}</dt>
        <dd>{t(`app.role.${user.role}`)}</dd>
        <dt>{t('users.field.status')}</dt>
        <dd>
          <UserStatus user={user} />
        </dd>
        <dt>{t('users.field.created')}</dt>
        <dd>
          <DateTime iso={user.created_at} />
        </dd>
        <dt>{t('users.field.updated')}</dt>
        <dd>
          <DateTime iso={user.updated_at} />
        </dd>
      </dl>
      <div class="cards">
        {can(me, 'user.update') && <EditForm key={user.id} user={user} self={self} onSaved={setUser} />}
        {can(me, 'user.reset_password') && <ResetPassword user={user} onReset={setUser} />}
      </div>
    </>
  );
}
