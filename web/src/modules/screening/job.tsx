// One screening job: its progress (polled while it is queued or running)
// and, once done, the review queue: each screened person with a match, the
// matches best first, their explanation, and links to the alert and to
// filing a hit (or a false match).

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, purposeText } from '../../app/api';
import { Code, DateTime, ErrorNotice, Link, Name, Pages } from '../../app/components';
import { formatNumber, formatSeq, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { Match, type MatchView } from './common';
import { SCREENING_LISTS } from './paths';

// Stated with every read of a job and its results (recorded in the audit log).
const PURPOSE = 'review of a screening job (web interface)';
const POLL_MS = 1000;
const PAGE_SIZE = 50;

export interface Job {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  format: 'csv' | 'paxlst';
  description: string;
  purpose: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  total: number;
  processed: number;
  matched: number;
  threshold: number;
  top_k: number;
  error: string;
}

interface JobResult extends MatchView {
  item: number;
  rank: number;
  input_id: string;
  input_name: string;
}

interface ResultPage {
  results: JobResult[];
  page: number;
  page_size: number;
  total: number;
}

function Results({ job, me }: { job: Job; me: ScreenProps['me'] }) {
  const [page, setPage] = useState(1);
  const loaded = useLoad(
    (signal) =>
      call<ResultPage>('GET', `/api/v1/screenings/${encodeURIComponent(job.id)}/results`, {
        query: { page, page_size: PAGE_SIZE },
        purpose: PURPOSE,
        signal,
      }),
    [job.id, page],
  );
  const results = loaded.data;
  // The failure of the page asked last, not shown while another loads.
  const error = loaded.loading ? null : loaded.error;

  if (error) return <ErrorNotice error={error} />;
  if (!results) return <p role="status">{t('app.loading')}</p>;
  // Group the page's matches by screened person (they come by item, then rank).
  const groups: JobResult[][] = [];
  for (const r of results.results) {
    const last = groups[groups.length - 1];
    if (last && last[0].item === r.item) last.push(r);
    else groups.push([r]);
  }
  return (
    <section aria-labelledby="queue-title" class="queue">
      <h2 id="queue-title">{t('screening.job.queue', { count: job.matched })}</h2>
      {groups.length === 0 && <p class="notice notice-ok">{t('screening.job.no_match')}</p>}
      {groups.map((g) => (
        <section class="queue-person" key={g[0].item} aria-labelledby={`person-${g[0].item}`} data-item={g[0].item}>
          <h3 id={`person-${g[0].item}`}>
            <Name>{g[0].input_name}</Name>{' '}
            <span class="sub-inline">
              {t('screening.job.position', { n: formatSeq(g[0].item + 1) })}
              {g[0].input_id && (
                <>
                  {' · '}
                  <Code>{g[0].input_id}</Code>
                </>
              )}
            </span>
          </h3>
          {g.map((r) => (
            <Fragment key={r.rank}>
              <Match match={r} me={me} id={`result-${r.item}-${r.rank}`} />
            </Fragment>
          ))}
        </section>
      ))}
      <Pages page={results.page} pageSize={results.page_size} total={results.total} onPage={setPage} />
    </section>
  );
}

export function ScreeningJob({ params, me }: ScreenProps) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = !job || job.state === 'queued' || job.state === 'running';

  useEffect(() => {
    if (!running) return;
    const controller = new AbortController();
    let timer: number | undefined;
    const poll = () => {
      call<Job>('GET', `/api/v1/screenings/${encodeURIComponent(params.id)}`, {
        purpose: PURPOSE,
        signal: controller.signal,
      }).then(
        (j) => {
          setJob(j);
          if (j.state === 'queued' || j.state === 'running') timer = window.setTimeout(poll, POLL_MS);
        },
        (e) => {
          if (!controller.signal.aborted) setError(e);
        },
      );
    };
    poll();
    return () => {
      controller.abort();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [params.id, running]);

  return (
    <>
      <p class="breadcrumb">
        <Link href={SCREENING_LISTS}>{t('screening.job.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('screening.job.title')}</h1>
      <ErrorNotice error={error} />
      {!job && !error && <p role="status">{t('app.loading')}</p>}
      {job && (
        <>
          <section class="card job" aria-labelledby="job-progress-title" data-state={job.state}>
            <h2 id="job-progress-title">{t(`screening.job.state.${job.state}`)}</h2>
            <label for="job-progress" class="progress-label">
              {t('screening.job.progress', { processed: formatNumber(job.processed), count: job.total })}
            </label>
            <progress id="job-progress" max={Math.max(1, job.total)} value={job.processed} />
            <p aria-live="polite" class="job-matched">
              {t('screening.job.matched', { count: job.matched })}
            </p>
            <dl class="facts">
              <dt>{t('screening.job.format')}</dt>
              <dd>{t(`screening.lists.format.${job.format}`)}</dd>
              <dt>{t('screening.job.description')}</dt>
              <dd>
                <bdi lang="en" data-raw="">
                  {job.description}
                </bdi>
              </dd>
              <dt>{t('screening.field.purpose')}</dt>
              <dd>
                <Text>{purposeText(job.purpose)}</Text>
              </dd>
              <dt>{t('screening.job.created')}</dt>
              <dd>
                <DateTime iso={job.created_at} />
              </dd>
              {job.finished_at && (
                <>
                  <dt>{t('screening.job.finished')}</dt>
                  <dd>
                    <DateTime iso={job.finished_at} />
                  </dd>
                </>
              )}
              <dt>{t('screening.job.threshold')}</dt>
              <dd>{formatNumber(job.threshold, { style: 'percent', maximumFractionDigits: 0 })}</dd>
            </dl>
            {job.state === 'failed' && (
              <div class="notice notice-error" role="alert">
                <p>{t('screening.job.failed')}</p>
                {job.error && (
                  <p class="server-detail">
                    {t('app.error.node_says')}{' '}
                    <bdi lang="en" data-raw="">
                      {job.error}
                    </bdi>
                  </p>
                )}
              </div>
            )}
          </section>
          {job.state === 'done' && <Results job={job} me={me} />}
        </>
      )}
    </>
  );
}
