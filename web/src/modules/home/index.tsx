// The home page: what needs attention (alerts due for review, new hits on
// this agency's alerts, open assistance requests by deadline with their live
// count-downs, unread messages, for the roles that see them), who is signed in, for which
// agency and until when, and where the user's role lets them work.

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
import { Text, type AlertPage, type AlertSummary } from '../alerts/common';
import { ALERT, ALERTS } from '../alerts/paths';
import type { HitPage } from '../hits/common';
import { HITS } from '../hits/paths';
import { Countdown, DirectionLabel, StateBadge, useNow, type RequestPage } from '../assistance/common';
import { listHref } from '../assistance/href';
import { ASSISTANCE_REQUEST } from '../assistance/paths';
import { UnreadMessages } from '../messages/home';
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

// Open assistance requests shown, soonest deadline first.
const ASSISTANCE_SHOWN = 5;

// The open mutual-assistance requests, soonest deadline first, each with its
// live count-down; the counts of those overdue and past 75 % per direction.
function AssistanceDue({ page, fetchedAt }: { page: RequestPage | null; fetchedAt: number }) {
  const now = useNow(1000);
  const c = page?.counts;
  const overdue = c ? c.incoming.overdue + c.outgoing.overdue : 0;
  return (
    <section class="card assistance-due" aria-labelledby="home-assistance" data-overdue={c ? overdue : ''}>
      <h3 id="home-assistance">{t('home.attention.assistance')}</h3>
      {!page || !c ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <>
          <dl class="due-counts">
            {(['incoming', 'outgoing'] as const).map((d) => (
              <div key={d} data-direction={d} data-open={c[d].open} data-overdue={c[d].overdue}>
                <dt>{t(`home.attention.assistance_${d}`)}</dt>
                <dd>
                  <span class="count-inline">{t('home.attention.assistance_open', { count: c[d].open })}</span>{' '}
                  <span class={`badge ${c[d].overdue > 0 ? 'badge-bad' : 'badge-muted'}`}>
                    {c[d].overdue > 0 && <span aria-hidden="true">✕ </span>}
                    {t('home.attention.assistance_overdue', { count: c[d].overdue })}
                  </span>{' '}
                  {c[d].warning > 0 && (
                    <span class="badge badge-warn">
                      <span aria-hidden="true">⚠ </span>
                      {t('home.attention.assistance_warning', { count: c[d].warning })}
                    </span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {page.requests.length === 0 ? (
            <p>{t('home.attention.assistance_none')}</p>
          ) : (
            <ol class="due-list">
              {page.requests.map((r) => (
                <li key={r.id} data-request={r.id}>
                  <Countdown r={r} clock={{ fetchedAt, now }} />
                  <span class="due-what">
                    <Link href={pathFor(ASSISTANCE_REQUEST, { id: r.id })}>
                      <Text>{r.subject}</Text>
                    </Link>
                    <span class="sub">
                      <DirectionLabel r={r} /> · <StateBadge state={r.state} />
                    </span>
                  </span>
                </li>
              ))}
            </ol>
          )}
          <p class="links-inline">
            <Link href={listHref({ direction: 'incoming', state: 'open', sort: 'deadline' })}>
              {t('home.attention.assistance_incoming_link')}
            </Link>
            <Link href={listHref({ direction: 'outgoing', state: 'open', sort: 'deadline' })}>
              {t('home.attention.assistance_outgoing_link')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

function Attention({ me }: { me: Me }) {
  const showAlerts = can(me, 'alert.list');
  const showHits = can(me, 'hit.read');
  const showAssistance = can(me, 'assistance.list');
  const showMessages = can(me, 'message.list');
  const [due, setDue] = useState<Due | null>(null);
  const [requests, setRequests] = useState<{ page: RequestPage; at: number } | null>(null);
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
    if (showAssistance) {
      call<RequestPage>('GET', '/api/v1/assistance-requests', {
        query: { open: 'true', sort: 'deadline', page_size: ASSISTANCE_SHOWN },
        purpose: PURPOSE,
        signal: controller.signal,
      }).then((page) => setRequests({ page, at: Date.now() }), failed);
    }
    return () => controller.abort();
  }, [showAlerts, showHits, showAssistance]);

  if (!showAlerts && !showHits && !showAssistance && !showMessages) return null;
  return (
    <section aria-labelledby="home-attention" class="attention">
      <h2 id="home-attention">{t('home.attention.title')}</h2>
      <ErrorNotice error={error} />
      <div class="cards">
        {showAssistance && <AssistanceDue page={requests?.page ?? null} fetchedAt={requests?.at ?? 0} />}
        {showMessages && <UnreadMessages />}
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
