// The frame of every page: a skip link, the top bar (the node's agency, the
// navigation the user's role allows, the language switcher, who is signed in
// and the sign-out button) and the main region.

import type { ComponentChildren } from 'preact';
import type { Agency } from './api';
import { Link, Name } from './components';
import { prefetchScreens } from './lazy';
import { failedLang, lang, LANG_NAMES, LANGS, pendingLang, setLang, t } from './i18n';
import type { Session } from './session';
import { modules } from '../modules';

// The agency's name in the current language, else in another one it has
// (marked with its language), else its code.
export function AgencyName({ agency }: { agency: Pick<Agency, 'code' | 'names'> }) {
  const own = agency.names[lang()];
  if (own) return <bdi>{own}</bdi>;
  for (const l of LANGS) {
    const other = agency.names[l];
    if (other) {
      return (
        <bdi lang={l} data-raw="">
          {other}
        </bdi>
      );
    }
  }
  return (
    <bdi data-raw="">
      <code dir="ltr">{agency.code}</code>
    </bdi>
  );
}

// The language buttons. While a language's messages load (signed in, see
// i18n.setLang) its button is busy; if they fail, a notice says so.
function LanguageSwitcher() {
  const current = lang();
  const pending = pendingLang();
  const failed = failedLang();
  return (
    <>
    <div class="lang-switch" role="group" aria-label={t('app.language')}>
      {LANGS.map((l) => (
        <button
          type="button"
          lang={l}
          dir={l === 'ar' ? 'rtl' : 'ltr'}
          aria-pressed={l === current ? 'true' : 'false'}
          aria-busy={l === pending ? 'true' : undefined}
          onClick={() => setLang(l)}
          key={l}
          data-raw=""
        >
          {LANG_NAMES[l]}
        </button>
      ))}
    </div>
    {failed && (
      <p class="lang-failed" role="alert">
        {t('app.language.failed')}
      </p>
    )}
    </>
  );
}

interface ShellProps {
  session: Session | null;
  path?: string;
  onSignOut?: () => void;
  children: ComponentChildren;
}

export function Shell({ session, path, onSignOut, children }: ShellProps) {
  const entries = session
    ? modules.flatMap((m) => m.nav ?? []).filter((e) => !e.allow || e.allow(session.me))
    : [];
  const isCurrent = (href: string) =>
    path !== undefined && (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <div class="brand">
          <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <path d="M5 22 Q16 6 27 22" fill="none" stroke="currentColor" stroke-width="3" />
            <path d="M4 22h24" stroke="currentColor" stroke-width="3" />
          </svg>
          <span class="brand-name">{t('app.name')}</span>
          {session && (
            <span class="brand-agency">
              <AgencyName agency={session.agency} />
            </span>
          )}
        </div>
        {session && entries.length > 0 && (
          <nav aria-label={t('app.nav.label')}>
            <ul>
              {entries.map((e) => (
                <li key={e.path}>
                  <Link
                    href={e.path}
                    aria-current={isCurrent(e.path) ? 'page' : undefined}
                    onPointerEnter={() => prefetchScreens(modules, e.path)}
                    onFocus={() => prefetchScreens(modules, e.path)}
                  >
                    {t(e.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="tools">
          <LanguageSwitcher />
          {session && (
            <div class="who">
              <span class="who-name">
                <Name>{session.me.display_name}</Name>
                <span class="who-role">{t(`app.role.${session.me.role}`)}</span>
              </span>
              <button type="button" class="secondary" onClick={onSignOut}>
                {t('app.signout')}
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
