// The mutual-assistance requests: incoming (this agency responds) and
// outgoing (a partner responds) tabs with their counts, filtered by state and
// overdue, newest first or soonest deadline first, a page at a time; each row
// with its live count-down. The query lives in the address. The list is read
// again only on demand ("Refresh"): every read is audited on the node.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Code, ErrorNotice, Field, fieldError, Link, Pages } from '../../app/components';
import { formatNumber, formatTime, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, onNavigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import {
  Countdown,
  DIRECTIONS,
  PURPOSE,
  STATES,
  StateBadge,
  useNow,
  type RequestPage,
} from './common';
import { listHref, type ListQuery } from './href';
import { ASSISTANCE_REQUEST, NEW_ASSISTANCE } from './paths';

const PAGE_SIZE = 25;

type Query = ListQuery;

function parse(search: string): Query {
  const q = new URLSearchParams(search);
  const direction = q.get('direction') === 'outgoing' ? 'outgoing' : 'incoming';
  const state = q.get('state') ?? '';
  return {
    direction,
    state: state === 'open' || (STATES as readonly string[]).includes(state) ? state : '',
    overdue: q.get('overdue') === 'true',
    sort: q.get('sort') === 'deadline' ? 'deadline' : 'newest',
    page: Math.max(1, Number(q.get('page')) || 1),
  };
}

export { listHref } from './href';

export function AssistanceList({ me }: ScreenProps) {
  const [search, setSearch] = useState(location.search);
  // The page and error of the query they answer: a new query never shows
  // the previous one's rows; "Refresh" (reload) reads the same view again.
  const loaded = useLoad(
    (signal) => {
      const query = parse(search);
      return call<RequestPage>('GET', '/api/v1/assistance-requests', {
        query: {
          direction: query.direction,
          state: query.state && query.state !== 'open' ? query.state : undefined,
          open: query.state === 'open' ? 'true' : undefined,
          overdue: query.overdue ? 'true' : undefined,
          sort: query.sort,
          page: query.page,
          page_size: PAGE_SIZE,
        },
        purpose: PURPOSE,
        signal,
      }).then((page) => ({ page, at: Date.now() }));
    },
    [search],
    { keep: false },
  );
  const error = loaded.error;
  // A failed refresh shows its error alone.
  const current = error ? null : loaded.data;
  const page = current?.page ?? null;
  const now = useNow(1000);
  useEffect(() => onNavigate(() => setSearch(location.search)), []);
  const q = parse(search);

  const go = (next: Partial<Query>) => navigate(listHref({ ...q, page: 1, ...next }));
  const counts = page?.counts;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('assistance.title')}</h1>
        {can(me, 'assistance.create') && (
          <Link class="button" href={NEW_ASSISTANCE}>
            {t('assistance.new')}
          </Link>
        )}
      </div>
      <p>{t('assistance.list.text')}</p>
      <nav class="tabs" aria-label={t('assistance.list.directions')}>
        <ul>
          {DIRECTIONS.map((d) => (
            <li key={d}>
              <Link
                href={listHref({ ...q, direction: d, page: 1 })}
                aria-current={q.direction === d ? 'page' : undefined}
                data-direction={d}
              >
                {t(`assistance.direction.${d}`)}
                {counts && (
                  <span class="tab-counts">
                    {' '}
                    {t('assistance.list.tab_open', { count: counts[d].open })}
                    {counts[d].overdue > 0 && (
                      <span class="badge badge-bad" data-overdue={counts[d].overdue}>
                        {t('assistance.list.tab_overdue', { count: counts[d].overdue })}
                      </span>
                    )}
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p class="hint">{t(`assistance.direction.${q.direction}.text`)}</p>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('assistance.list.filter')}>
        <div class="filter-grid">
          <Field id="assistance-state" label={t('assistance.field.state')}>
            {(aria) => (
              <select {...aria} value={q.state} onChange={(e) => go({ state: e.currentTarget.value })}>
                <option value="">{t('assistance.list.any_state')}</option>
                <option value="open">{t('assistance.list.open_states')}</option>
                {STATES.map((s) => (
                  <option value={s} key={s}>
                    {t(`assistance.state.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="assistance-sort" label={t('assistance.list.sort')}>
            {(aria) => (
              <select
                {...aria}
                value={q.sort}
                onChange={(e) => go({ sort: e.currentTarget.value === 'deadline' ? 'deadline' : 'newest' })}
              >
                <option value="newest">{t('assistance.list.sort.newest')}</option>
                <option value="deadline">{t('assistance.list.sort.deadline')}</option>
              </select>
            )}
          </Field>
          <div class="field field-check filter-check">
            <input
              id="assistance-overdue"
              type="checkbox"
              checked={q.overdue}
              onChange={(e) => go({ overdue: e.currentTarget.checked })}
            />
            <label for="assistance-overdue">{t('assistance.list.overdue_only')}</label>
          </div>
        </div>
      </form>
      {error && (fieldError(error, 'assistance', 'state') ? <p class="notice notice-error">{fieldError(error, 'assistance', 'state')}</p> : <ErrorNotice error={error} />)}
      <div class="refresh">
        {current?.at && (
          <p class="hint" data-updated={current.at}>
            {t('assistance.list.updated', { time: formatTime(new Date(current.at)) })}
          </p>
        )}
        <button type="button" class="secondary small" id="assistance-refresh" onClick={loaded.reload}>
          {t('assistance.refresh')}
        </button>
      </div>
      {!page && !error && <p role="status">{t('app.loading')}</p>}
      {page && (
        <section aria-labelledby="assistance-results-title">
          <h2 id="assistance-results-title">{t('assistance.list.count', { count: page.total })}</h2>
          {page.requests.length === 0 ? (
            <p>{t('assistance.list.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="assistance-results-title">
              <table class="data assistance">
                <caption>
                  {t('assistance.list.caption', {
                    first: formatNumber((page.page - 1) * page.page_size + 1),
                    last: formatNumber((page.page - 1) * page.page_size + page.requests.length),
                    count: page.total,
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('assistance.field.subject')}</th>
                    <th scope="col">{t('assistance.field.type')}</th>
                    <th scope="col">{t(q.direction === 'incoming' ? 'assistance.field.requester' : 'assistance.field.requested')}</th>
                    <th scope="col">{t('assistance.field.state')}</th>
                    <th scope="col">{t('assistance.field.deadline')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.requests.map((r) => (
                    <tr key={r.id} data-request={r.id}>
                      <td>
                        <Link href={pathFor(ASSISTANCE_REQUEST, { id: r.id })}>
                          <Text>{r.subject}</Text>
                        </Link>
                        {r.urgency === 'urgent' && (
                          <span class="sub urgent">{t('assistance.urgency.urgent')}</span>
                        )}
                      </td>
                      <td>{t(`assistance.type.${r.type}`)}</td>
                      <td>
                        <Code>{r.partner}</Code>
                      </td>
                      <td>
                        <StateBadge state={r.state} />
                      </td>
                      <td>
                        <Countdown r={r} clock={{ fetchedAt: current?.at ?? now, now }} />
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
