// The cooperation report (GET /api/v1/reports/cooperation, report.read):
// the figure sheet of what this agency did with each partner over a period
// (from and to days, to included; the last twelve months by default). A
// table of every figure per partner with the totals, the same figures as a
// CSV file (Accept: text/csv, saved under the node's file name), and two
// charts. Numbers and dates go through Intl in the chosen language.

import { useState } from 'preact/hooks';
import { ApiError, call, type Problem } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, fieldError } from '../../app/components';
import { formatNumber, locale, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { currentQuery, navigate } from '../../app/router';
import { sessionToken } from '../../app/session';
import { useLoad } from '../../app/use_load';
import { DeadlineChart, ExchangeChart } from './charts';
import { COLUMNS, columnGroups, isDay, monthsBefore, today, type CooperationReport, type Figures } from './common';
import { COOPERATION_REPORT } from './paths';
import './reports.css';

const PURPOSE = 'cooperation report (web interface)';

function Cell({ value, pct }: { value: number | null; pct?: boolean }) {
  if (value === null) {
    return (
      <td class="num" data-value="">
        <span class="sub-inline">{t('reports.no_response_short')}</span>
      </td>
    );
  }
  return (
    <td class="num" data-value={value}>
      {pct ? formatNumber(value / 100, { style: 'percent', maximumFractionDigits: 1 }) : formatNumber(value)}
    </td>
  );
}

function Cells({ f }: { f: Figures }) {
  return (
    <>
      {COLUMNS.map((c) => (
        <Cell key={c.key} value={c.get(f)} pct={c.pct} />
      ))}
    </>
  );
}

// The file name of a Content-Disposition header (filename*= or filename=).
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const ext = header.match(/filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/);
  if (ext) {
    try {
      return decodeURIComponent(ext[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = header.match(/filename\s*=\s*"([^"]*)"/) ?? header.match(/filename\s*=\s*([^;\s]+)/);
  return plain ? plain[1] : fallback;
}

// Fetches the CSV and saves it under the node's file name; resolves to that name.
async function downloadCsv(from: string, to: string): Promise<string> {
  const headers: Record<string, string> = { Accept: 'text/csv', 'X-Purpose': PURPOSE };
  const token = sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const q = new URLSearchParams({ from, to });
  let response: Response;
  try {
    response = await fetch(`/api/v1/reports/cooperation?${q}`, { headers, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, { type: 'network' });
  }
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = (await response.json()) as Problem;
    } catch {
      // no body
    }
    throw new ApiError(response.status, problem);
  }
  const blob = await response.blob();
  const name = dispositionName(response.headers.get('Content-Disposition'), `cooperation-${from}-${to}.csv`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// The last day of the half-open period [from, to): the day of to − 1 ms.
function lastDay(to: string): string {
  return new Date(new Date(to).getTime() - 1).toISOString();
}

// A day of the period, in UTC as the node counts it, in the current locale.
function formatDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function CooperationReportScreen(_: ScreenProps) {
  const q = currentQuery();
  const initialTo = isDay(q.get('to') ?? '') ? (q.get('to') as string) : today();
  const initialFrom = isDay(q.get('from') ?? '') ? (q.get('from') as string) : monthsBefore(initialTo, 12);
  // The period asked (applied) and the one being edited in the form.
  const [period, setPeriod] = useState({ from: initialFrom, to: initialTo });
  const [form, setForm] = useState(period);
  const { data: report, error, loading: busy } = useLoad(
    (signal) =>
      call<CooperationReport>('GET', '/api/v1/reports/cooperation', {
        query: { from: period.from, to: period.to },
        purpose: PURPOSE,
        signal,
      }).catch((e: unknown) => {
        // A period the node refused: its field gets the focus.
        if (!signal.aborted && e instanceof ApiError && (e.field === 'from' || e.field === 'to')) {
          const target = e.field === 'from' ? 'report-from' : 'report-to';
          requestAnimationFrame(() => document.getElementById(target)?.focus());
        }
        throw e;
      }),
    [period.from, period.to],
  );
  const [download, setDownload] = useState<{ state: 'idle' | 'busy' | 'done' | 'failed'; name?: string; error?: unknown }>({
    state: 'idle',
  });


  const apply = (e: Event) => {
    e.preventDefault();
    setPeriod({ ...form });
    navigate(`${COOPERATION_REPORT}?from=${encodeURIComponent(form.from)}&to=${encodeURIComponent(form.to)}`, {
      replace: true,
    });
  };
  const save = () => {
    setDownload({ state: 'busy' });
    downloadCsv(period.from, period.to).then(
      (name) => setDownload({ state: 'done', name }),
      (x) => setDownload({ state: 'failed', error: x }),
    );
  };
  const periodFieldError = error instanceof ApiError && (error.field === 'from' || error.field === 'to');

  return (
    <>
      <h1 tabIndex={-1}>{t('reports.cooperation.title')}</h1>
      <p>{t('reports.cooperation.intro')}</p>
      <form class="filters report-period" onSubmit={apply} noValidate>
        <div class="filter-grid">
          <Field id="report-from" label={t('reports.field.from')} error={fieldError(error, 'reports', 'from')}>
            {(aria) => (
              <input {...aria} type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
            )}
          </Field>
          <Field
            id="report-to"
            label={t('reports.field.to')}
            hint={t('reports.hint.to')}
            error={fieldError(error, 'reports', 'to')}
          >
            {(aria) => (
              <input {...aria} type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
            )}
          </Field>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('reports.apply')}
          </button>
          <button type="button" class="secondary" id="report-csv" onClick={save} disabled={download.state === 'busy' || !report}>
            {t('reports.download')}
          </button>
        </div>
        <p class="download-status" role="status">
          {download.state === 'busy' && t('reports.download.busy')}
          {download.state === 'done' && download.name && (
            <>
              {t('reports.download.done')} <Code>{download.name}</Code>
            </>
          )}
        </p>
      </form>
      {download.state === 'failed' && <ErrorNotice error={download.error} />}
      {error && !periodFieldError && <ErrorNotice error={error} />}
      {periodFieldError && (
        <p class="notice notice-error" role="alert">
          {t('reports.fix')}
        </p>
      )}
      {!report && !error && <p role="status">{t('app.loading')}</p>}
      {report && (
        <section aria-labelledby="report-figures-title" class="report">
          <h2 id="report-figures-title">
            {t('reports.cooperation.period', { from: formatDay(report.from), to: formatDay(lastDay(report.to)) })}
          </h2>
          <p class="hint">
            {t('reports.cooperation.generated')} <DateTime iso={report.generated_at} />
          </p>
          {report.partners.length === 0 ? (
            <p class="notice">{t('reports.cooperation.empty')}</p>
          ) : (
            <>
              <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="report-table-caption">
                <table class="data cooperation">
                  <caption id="report-table-caption">{t('reports.table.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col" rowSpan={2}>
                        {t('reports.partner')}
                      </th>
                      {columnGroups().map((g) => (
                        <th scope="colgroup" colSpan={g.span} key={g.group} class="group-head">
                          {t(`reports.group.${g.group}`)}
                        </th>
                      ))}
                    </tr>
                    <tr>
                      {COLUMNS.map((c) => (
                        <th scope="col" key={c.key} data-column={c.key}>
                          {t(`reports.figure.${c.key}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {report.partners.map((row) => (
                      <tr key={row.agency} data-partner={row.agency}>
                        <th scope="row">
                          <Code>{row.agency}</Code>
                          {row.name && (
                            <span class="sub">
                              <bdi lang="en" data-raw="">
                                {row.name}
                              </bdi>
                            </span>
                          )}
                        </th>
                        <Cells f={row} />
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr data-partner="">
                      <th scope="row">{t('reports.total')}</th>
                      <Cells f={report.totals} />
                    </tr>
                  </tfoot>
                </table>
              </div>
              <h2>{t('reports.charts')}</h2>
              <div class="charts">
                <ExchangeChart rows={report.partners} />
                <DeadlineChart rows={report.partners} />
              </div>
            </>
          )}
        </section>
      )}
      <p class="hint">
        {t('reports.definitions')} <Code>docs/reports.md</Code>
      </p>
    </>
  );
}
