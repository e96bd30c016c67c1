// The home page: what needs attention (alerts due for review, new hits on
// this agency's alerts, for the roles that see them), who is signed in, for
// which agency and until when, and where the user's role lets them work.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, type Me } from '../../app/api';
import { AgencyName } from '../../app/shell';
import { Code, DateTime, ErrorNotice, Link, Msg, Name } from '../../app/components';
import { countryName, formatNumber, lang, languageName, LANGS, t } from '../../app/i18n';
import type { Module, ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { modules } from '..';
import type { AlertPage, AlertSummary } from '../alerts/common';
import { ALERT, ALERTS } from '../alerts/paths';
import type { HitPage } from '../hits/common';
import { HITS } from '../hits/paths';
import { HOME } from './paths';

// Stated with the reads of this page (recorded in the audit log).
const PURPOSE = 'home page: work needing attention (web interface)';
// An alert is due for review when its review date is this close (the node
// flags it 30 days ahead: ReviewOptions::warn_before).
const REVIEW_WINDOW_MS = 30 * 24 * 3600 * 1000;
// The node lists at most this many alerts a page; the count covers the first
// page of active and of suspended alerts.
const SCAN = 200;
const SHOWN = 5;

interface Due {
  alerts: AlertSummary[];
  // True when more alerts exist than were scanned (the count is a minimum).
  partial: boolean;
}

// The API has no "due for review" filter: the active and suspended alerts
// are read (one page each) and those whose review date is near are counted.
async function dueForReview(signal: AbortSignal): Promise<Due> {
  const pages = await Promise.all(
    ['active', 'suspended'].map((status) =>
      call<AlertPage>('GET', '/api/v1/alerts', { query: { status, page_size: SCAN }, purpose: PURPOSE, signal }),
    ),
  );
  const limit = Date.now() + REVIEW_WINDOW_MS;
  const alerts = pages
    .flatMap((p) => p.alerts)
    .filter((a) => a.review_at && new Date(a.review_at).getTime() <= limit)
    .sort((a, b) => new Date(a.review_at ?? 0).getTime() - new Date(b.review_at ?? 0).getTime());
  return { alerts, partial: pages.some((p) => p.total > p.alerts.length) };
}

function Attention({ me }: { me: Me }) {
  const showAlerts = can(me, 'alert.list');
  const showHits = can(me, 'hit.read');
  const [due, setDue] = useState<Due | null>(null);
  const [newHits, setNewHits] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const failed = (e: unknown) => {
      if (!controller.signal.aborted) setError(e);
    };
    if (showAlerts) dueForReview(controller.signal).then(setDue, failed);
    if (showHits) {
      call<HitPage>('GET', '/api/v1/hits', {
        query: { state: 'reported', page_size: 1 },
        purpose: PURPOSE,
        signal: controller.signal,
      }).then((p) => setNewHits(p.total), failed);
    }
    return () => controller.abort();
  }, [showAlerts, showHits]);

  if (!showAlerts && !showHits) return null;
  return (
    <section aria-labelledby="home-attention" class="attention">
      <h2 id="home-attention">{t('home.attention.title')}</h2>
      <ErrorNotice error={error} />
      <div class="cards">
        {showHits && (
          <section class="card count-card" aria-labelledby="home-new-hits" data-count={newHits ?? ''}>
            <h3 id="home-new-hits">{t('home.attention.new_hits')}</h3>
            {newHits === null ? (
              <p role="status">{t('app.loading')}</p>
            ) : (
              <>
                <p class="count">{formatNumber(newHits)}</p>
                <p>
                  <Link href={`${HITS}?state=reported`}>{t('home.attention.new_hits_link', { count: newHits })}</Link>
                </p>
              </>
            )}
          </section>
        )}
        {showAlerts && (
          <section class="card count-card" aria-labelledby="home-due" data-count={due ? due.alerts.length : ''}>
            <h3 id="home-due">{t('home.attention.due')}</h3>
            {due === null ? (
              <p role="status">{t('app.loading')}</p>
            ) : (
              <>
                <p class="count">
                  {due.partial
                    ? t('home.attention.at_least', { n: formatNumber(due.alerts.length) })
                    : formatNumber(due.alerts.length)}
                </p>
                <p class="hint">{t('home.attention.due_hint')}</p>
                {due.alerts.length > 0 && (
                  <ul class="links">
                    {due.alerts.slice(0, SHOWN).map((a) => (
                      <li key={a.id}>
                        <Link href={pathFor(ALERT, { id: a.id })}>
                          <Name>{a.primary_name}</Name>
                        </Link>{' '}
                        <span class="sub-inline">
                          <Msg k="home.attention.review_on" values={{ time: <DateTime iso={a.review_at ?? ''} /> }} />
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  <Link href={`${ALERTS}?status=active`}>{t('home.attention.active_alerts')}</Link>
                </p>
              </>
            )}
          </section>
        )}
      </div>
    </section>
  );
}

function Home({ me, agency, expiresAt }: ScreenProps) {
  const tasks = modules
    .flatMap((m) => m.nav ?? [])
    .filter((e) => e.path !== HOME && (!e.allow || e.allow(me)));
  return (
    <>
      <h1 tabIndex={-1}>
        <Msg k="home.welcome" values={{ name: <Name>{me.display_name}</Name> }} />
      </h1>
      <Attention me={me} />
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
