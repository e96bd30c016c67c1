// The home page: who is signed in, for which agency and until when, and
// where the user's role lets them work.

import { Fragment } from 'preact';
import { AgencyName } from '../../app/shell';
import { Code, DateTime, Link, Msg, Name } from '../../app/components';
import { countryName, lang, languageName, LANGS, t } from '../../app/i18n';
import type { Module, ScreenProps } from '../../app/module';
import { modules } from '..';
import { HOME } from './paths';

function Home({ me, agency, expiresAt }: ScreenProps) {
  const tasks = modules
    .flatMap((m) => m.nav ?? [])
    .filter((e) => e.path !== HOME && (!e.allow || e.allow(me)));
  return (
    <>
      <h1 tabIndex={-1}>
        <Msg k="home.welcome" values={{ name: <Name>{me.display_name}</Name> }} />
      </h1>
      <div class="cards">
        <section class="card" aria-labelledby="home-account">
          <h2 id="home-account">{t('home.account.title')}</h2>
          <dl class="facts">
            <dt>{t('home.account.name')}</dt>
            <dd>
              <Name>{me.display_name}</Name>
            </dd>
            <dt>{t('home.account.username')}</dt>
            <dd>
              <Code>{me.username}</Code>
            </dd>
            <dt>{t('home.account.role')}</dt>
            <dd>{t(`app.role.${me.role}`)}</dd>
            <dt>{t('home.account.session')}</dt>
            <dd>
              <Msg k="home.account.until" values={{ time: <DateTime iso={expiresAt} /> }} />
            </dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="home-agency">
          <h2 id="home-agency">{t('home.agency.title')}</h2>
          <dl class="facts">
            <dt>{t('home.agency.name')}</dt>
            <dd>
              <AgencyName agency={agency} />
            </dd>
            {LANGS.filter((l) => l !== lang() && agency.names[l]).map((l) => (
              <Fragment key={l}>
                <dt>
                  {t('home.agency.name_in', { language: languageName(l) })}
                </dt>
                <dd>
                  <bdi lang={l} data-raw="">
                    {agency.names[l]}
                  </bdi>
                </dd>
              </Fragment>
            ))}
            <dt>{t('home.agency.code')}</dt>
            <dd>
              <Code>{agency.code}</Code>
            </dd>
            <dt>{t('home.agency.country')}</dt>
            <dd>{countryName(agency.country)}</dd>
            <dt>{t('home.agency.since')}</dt>
            <dd>
              <DateTime iso={agency.created_at} />
            </dd>
          </dl>
        </section>
      </div>
      {tasks.length > 0 && (
        <section aria-labelledby="home-tasks">
          <h2 id="home-tasks">{t('home.tasks.title')}</h2>
          <ul class="tasks">
            {tasks.map((e) => (
              <li key={e.path}>
                <Link href={e.path}>{t(e.label)}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export const home: Module = {
  id: 'home',
  screens: [{ path: HOME, title: 'home.title', component: Home }],
  nav: [{ path: HOME, label: 'home.nav' }],
};
