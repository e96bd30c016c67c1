// The alerts: search by name (any script), filter by status and category,
// a page at a time. The query lives in the address, so a view can be
// bookmarked and Back works.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, fieldError, Link, Name, Pages } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, onNavigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import {
  CATEGORIES,
  Countries,
  PartialDate,
  PURPOSE,
  STATUSES,
  StatusBadge,
  WarningFlags,
  type AlertPage,
} from './common';
import { ALERT, ALERTS, NEW_ALERT } from './paths';

const PAGE_SIZE = 25;
const FILTERS = ['q', 'status', 'category'] as const;

function Filters({ search }: { search: string }) {
  const q = new URLSearchParams(search);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? ''])),
  );
  const set = (k: string, v: string) => setValues({ ...values, [k]: v });
  const apply = (e: Event) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) if (values[k].trim()) next.set(k, values[k].trim());
    const s = next.toString();
    navigate(s ? `${ALERTS}?${s}` : ALERTS);
  };
  const clear = () => {
    setValues(Object.fromEntries(FILTERS.map((k) => [k, ''])));
    navigate(ALERTS);
  };
  return (
    <form class="filters" role="search" onSubmit={apply} noValidate aria-labelledby="alerts-filters-title">
      <h2 id="alerts-filters-title">{t('alerts.filters.title')}</h2>
      <div class="filter-grid">
        <Field id="alerts-q" label={t('alerts.filters.q')} hint={t('alerts.filters.q_hint')}>
          {(aria) => (
            <input
              {...aria}
              type="search"
              dir="auto"
              autoComplete="off"
              value={values.q}
              onInput={(e) => set('q', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="alerts-status" label={t('alerts.field.status')}>
          {(aria) => (
            <select {...aria} value={values.status} onChange={(e) => set('status', e.currentTarget.value)}>
              <option value="">{t('alerts.filters.any_status')}</option>
              {STATUSES.map((s) => (
                <option value={s} key={s}>
                  {t(`alerts.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="alerts-category" label={t('alerts.field.category')}>
          {(aria) => (
            <select {...aria} value={values.category} onChange={(e) => set('category', e.currentTarget.value)}>
              <option value="">{t('alerts.filters.any_category')}</option>
              {CATEGORIES.map((c) => (
                <option value={c} key={c}>
                  {t(`alerts.category.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="actions">
        <button type="submit">{t('alerts.filters.apply')}</button>
        <button type="button" class="secondary" onClick={clear}>
          {t('alerts.filters.clear')}
        </button>
      </div>
    </form>
  );
}

export function AlertsList({ me }: ScreenProps) {
  const [search, setSearch] = useState(location.search);

  useEffect(() => onNavigate(() => setSearch(location.search)), []);

  // The page and error of the query they answer: a new query never shows
  // the previous one's rows.
  const { data: page, error } = useLoad(
    (signal) => {
      const q = new URLSearchParams(search);
      return call<AlertPage>('GET', '/api/v1/alerts', {
        query: {
          q: q.get('q') ?? undefined,
          status: q.get('status') ?? undefined,
          category: q.get('category') ?? undefined,
          page: q.get('page') ?? undefined,
          page_size: PAGE_SIZE,
        },
        purpose: PURPOSE,
        signal,
      });
    },
    [search],
    { keep: false },
  );

  const goToPage = (n: number) => {
    const q = new URLSearchParams(search);
    if (n > 1) q.set('page', String(n));
    else q.delete('page');
    navigate(`${ALERTS}?${q.toString()}`);
  };

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('alerts.title')}</h1>
        {can(me, 'alert.create') && (
          <Link class="button" href={NEW_ALERT}>
            {t('alerts.new')}
          </Link>
        )}
      </div>
      <Filters key={search} search={search} />
      {error && (
        <>
          {fieldError(error, 'alerts', 'q') ? (
            <p class="notice notice-error" role="alert">
              {fieldError(error, 'alerts', 'q')}
            </p>
          ) : (
            <ErrorNotice error={error} />
          )}
        </>
      )}
      {!page && !error && <p role="status">{t('app.loading')}</p>}
      {page && (
        <section aria-labelledby="alerts-results-title">
          <h2 id="alerts-results-title">{t('alerts.results.title', { count: page.total })}</h2>
          {page.alerts.length === 0 ? (
            <p>{t('alerts.results.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="alerts-results-title">
              <table class="data alerts">
                <caption>
                  {t('alerts.results.caption', {
                    first: formatNumber((page.page - 1) * page.page_size + 1),
                    last: formatNumber((page.page - 1) * page.page_size + page.alerts.length),
                    count: page.total,
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('alerts.field.primary_name')}</th>
                    <th scope="col">{t('alerts.field.category')}</th>
                    <th scope="col">{t('alerts.field.status')}</th>
                    <th scope="col">{t('alerts.field.birth_date')}</th>
                    <th scope="col">{t('alerts.field.nationalities')}</th>
                    <th scope="col">{t('alerts.field.owner')}</th>
                    <th scope="col">{t('alerts.field.updated_at')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.alerts.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link href={pathFor(ALERT, { id: a.id })}>
                          <Name>{a.primary_name}</Name>
                        </Link>
                        <WarningFlags warnings={a.warnings} />
                      </td>
                      <td>{t(`alerts.category.${a.category}`)}</td>
                      <td>
                        <StatusBadge status={a.status} />
                      </td>
                      <td>
                        <PartialDate value={a.birth_date} />
                      </td>
                      <td>
                        <Countries codes={a.nationalities} />
                      </td>
                      <td>
                        <Code>{a.owner}</Code>
                      </td>
                      <td>
                        <DateTime iso={a.updated_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pages page={page.page} pageSize={page.page_size} total={page.total} onPage={goToPage} />
        </section>
      )}
    </>
  );
}
