// The hit inbox: reports on this agency's alerts, newest first, filtered by
// state, a page at a time (the filter lives in the address).

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Actor, Code, DateTime, ErrorNotice, Field, Link, Pages } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { navigate, onNavigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { HIT_STATES, HitStateBadge, PURPOSE, type HitPage } from './common';
import { HIT, HITS } from './paths';

const PAGE_SIZE = 25;

export function HitInbox(_: ScreenProps) {
  const [search, setSearch] = useState(location.search);
  // The page and error of the query they answer: a new query never shows
  // the previous one's rows.
  const { data: page, error } = useLoad(
    (signal) => {
      const query = new URLSearchParams(search);
      return call<HitPage>('GET', '/api/v1/hits', {
        query: { state: query.get('state') ?? undefined, page: query.get('page') ?? undefined, page_size: PAGE_SIZE },
        purpose: PURPOSE,
        signal,
      });
    },
    [search],
    { keep: false },
  );
  useEffect(() => onNavigate(() => setSearch(location.search)), []);
  const q = new URLSearchParams(search);
  const state = q.get('state') ?? '';

  const go = (next: { state?: string; page?: number }) => {
    const n = new URLSearchParams();
    const s = next.state ?? state;
    if (s) n.set('state', s);
    if (next.page && next.page > 1) n.set('page', String(next.page));
    const text = n.toString();
    navigate(text ? `${HITS}?${text}` : HITS);
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('hits.title')}</h1>
      <p>{t('hits.inbox.text')}</p>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('hits.inbox.filter')}>
        <div class="filter-grid">
          <Field id="hits-state" label={t('hits.field.state')}>
            {(aria) => (
              <select {...aria} value={state} onChange={(e) => go({ state: e.currentTarget.value, page: 1 })}>
                <option value="">{t('hits.inbox.any_state')}</option>
                {HIT_STATES.map((s) => (
                  <option value={s} key={s}>
                    {t(`hits.state.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </form>
      <ErrorNotice error={error} />
      {!page && !error && <p role="status">{t('app.loading')}</p>}
      {page && (
        <section aria-labelledby="hits-results-title">
          <h2 id="hits-results-title">{t('hits.inbox.count', { count: page.total })}</h2>
          {page.hits.length === 0 ? (
            <p>{t('hits.inbox.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="hits-results-title">
              <table class="data hits">
                <caption>
                  {t('hits.inbox.caption', {
                    first: formatNumber((page.page - 1) * page.page_size + 1),
                    last: formatNumber((page.page - 1) * page.page_size + page.hits.length),
                    count: page.total,
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('hits.field.occurred_at')}</th>
                    <th scope="col">{t('hits.field.place')}</th>
                    <th scope="col">{t('hits.field.state')}</th>
                    <th scope="col">{t('hits.field.reporting_agency')}</th>
                    <th scope="col">{t('hits.field.reported_by')}</th>
                    <th scope="col">{t('hits.field.alert')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.hits.map((h) => (
                    <tr key={h.id} data-hit={h.id}>
                      <td>
                        <Link href={pathFor(HIT, { id: h.id })}>
                          <DateTime iso={h.occurred_at} />
                        </Link>
                      </td>
                      <td>
                        <Text>{h.place}</Text>
                      </td>
                      <td>
                        <HitStateBadge hit={h} />
                      </td>
                      <td>
                        <Code>{h.reporting_agency}</Code>
                      </td>
                      <td>
                        <Actor actor={h.reported_by} />
                        <span class="sub">
                          <DateTime iso={h.reported_at} />
                        </span>
                      </td>
                      <td>
                        <Link href={pathFor(ALERT, { id: h.alert_id })}>{t('hits.open_alert')}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pages page={page.page} pageSize={page.page_size} total={page.total} onPage={(n) => go({ page: n })} />
        </section>
      )}
    </>
  );
}
