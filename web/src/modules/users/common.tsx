// Pieces shared by the users screens.

import { DateTime, Msg } from '../../app/components';
import { ROLES, type Role, type User } from '../../app/api';
import { t } from '../../app/i18n';

// Stated with every read of user records (recorded in the audit log).
export const PURPOSE = 'user administration (web interface)';

export function UserStatus({ user }: { user: User }) {
  if (user.disabled) return <span class="badge badge-muted">{t('users.status.disabled')}</span>;
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    return (
      <span class="badge badge-warn">
        <Msg k="users.status.locked" values={{ time: <DateTime iso={user.locked_until} /> }} />
      </span>
    );
  }
  return <span class="badge badge-ok">{t('users.status.active')}</span>;
}

export function RoleOptions({ placeholder }: { placeholder?: boolean }) {
  return (
    <>
      {placeholder && <option value="">{t('users.role.choose')}</option>}
      {ROLES.map((r: Role) => (
        <option value={r} key={r}>
          {t(`app.role.${r}`)}
        </option>
      ))}
    </>
  );
}

// A password shown once, selectable for copying.
export function OncePassword({ id, password, label }: { id: string; password: string; label: string }) {
  return (
    <div class="once">
      <label for={id}>{label}</label>
      <input
        id={id}
        class="once-value"
        type="text"
        readOnly
        dir="ltr"
        value={password}
        spellcheck={false}
        autoComplete="off"
        onFocus={(e) => e.currentTarget.select()}
        aria-describedby={`${id}-hint`}
      />
      <p class="hint" id={`${id}-hint`}>
        {t('users.password.once_hint')}
      </p>
    </div>
  );
}
