// Screening a list of persons (CSV, e.g. an event's accreditations) or a
// flight's passengers and crew (a UN/EDIFACT PAXLST message) in the
// background: the file and the purpose go to the node, which checks the
// whole file first (naming the line at fault) and queues a job; its page
// shows the progress and the review queue. The node has no list of jobs, so
// this tab remembers the jobs it submitted (ids only).

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, Link, Msg } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { navigate, pathFor } from '../../app/router';
import { SCREENING, SCREENING_JOB } from './paths';
import type { Job } from './job';

const STORAGE_KEY = 'jisr.screening.jobs';
const MAX_REMEMBERED = 20;
const FORMATS = ['csv', 'paxlst'] as const;
type Format = (typeof FORMATS)[number];
const CSV_HEADER = 'id,name,aliases,birth_date,nationality,gender,document';

interface Remembered {
  id: string;
  format: Format;
  created_at: string;
}

export function rememberedJobs(): Remembered[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((j) => typeof j?.id === 'string') : [];
  } catch {
    return [];
  }
}

function remember(job: Job): void {
  try {
    const list = [{ id: job.id, format: job.format, created_at: job.created_at }, ...rememberedJobs().filter((j) => j.id !== job.id)];
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(list.slice(0, MAX_REMEMBERED)));
  } catch {
    // Not remembered when storage is disabled; the job runs all the same.
  }
}

export function ScreenLists(_: ScreenProps) {
  const [format, setFormat] = useState<Format>('csv');
  const [file, setFile] = useState<File | null>(null);
  const [purpose, setPurpose] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [missingFile, setMissingFile] = useState(false);
  const [busy, setBusy] = useState(false);
  const jobs = rememberedJobs();

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!file) {
      setMissingFile(true);
      document.getElementById('list-file')?.focus();
      return;
    }
    setMissingFile(false);
    setBusy(true);
    try {
      const text = await file.text();
      const job = await call<Job>('POST', '/api/v1/screenings', {
        query: { format },
        raw: { text, type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/edifact' },
        purpose: purpose.trim() || undefined,
      });
      remember(job);
      navigate(pathFor(SCREENING_JOB, { id: job.id }));
    } catch (err) {
      setError(err);
      const f = err instanceof ApiError ? err.field : undefined;
      const target = f === 'input' || f === 'format' ? 'list-file' : f === 'purpose' || f === 'X-Purpose' ? 'list-purpose' : null;
      if (target) requestAnimationFrame(() => document.getElementById(target)?.focus());
    } finally {
      setBusy(false);
    }
  };
  const field = error instanceof ApiError ? error.field : undefined;
  const fileError = missingFile
    ? t('screening.error.file_missing')
    : field === 'input' || field === 'format'
      ? t('screening.error.input')
      : null;
  const purposeError = field === 'purpose' || field === 'X-Purpose' ? t('screening.error.purpose') : null;

  return (
    <>
      <p class="breadcrumb">
        <Link href={SCREENING}>{t('screening.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('screening.lists.title')}</h1>
      <p>{t('screening.lists.text')}</p>
      {error && !fileError && !purposeError && <ErrorNotice error={error} />}
      <form class="form card" onSubmit={submit} noValidate>
        <fieldset class="group">
          <legend>{t('screening.lists.format')}</legend>
          {FORMATS.map((f) => (
            <div class="field-check" key={f}>
              <input
                type="radio"
                name="format"
                id={`list-format-${f}`}
                value={f}
                checked={format === f}
                onChange={() => setFormat(f)}
                aria-describedby={`list-format-${f}-hint`}
              />
              <label for={`list-format-${f}`}>{t(`screening.lists.format.${f}`)}</label>
              <p class="hint" id={`list-format-${f}-hint`}>
                {f === 'csv' ? (
                  <Msg k="screening.lists.format.csv_hint" values={{ header: <Code>{CSV_HEADER}</Code> }} />
                ) : (
                  t('screening.lists.format.paxlst_hint')
                )}
              </p>
            </div>
          ))}
        </fieldset>
        <Field id="list-file" label={t('screening.lists.file')} error={fileError}>
          {(aria) => (
            <input
              {...aria}
              type="file"
              accept={format === 'csv' ? '.csv,text/csv,text/plain' : '.edi,.txt,.paxlst,application/edifact,text/plain'}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setMissingFile(false);
              }}
            />
          )}
        </Field>
        {fileError && error instanceof ApiError && error.problem.detail && (
          <p class="server-detail field-detail">
            {t('app.error.node_says')}{' '}
            <bdi lang="en" data-raw="">
              {error.problem.detail}
            </bdi>
          </p>
        )}
        <Field id="list-purpose" label={t('screening.field.purpose')} hint={t('screening.hint.purpose_list')} error={purposeError}>
          {(aria) => (
            <textarea {...aria} dir="auto" rows={2} value={purpose} onInput={(e) => setPurpose(e.currentTarget.value)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('screening.lists.busy') : t('screening.lists.submit')}
          </button>
        </div>
      </form>
      {jobs.length > 0 && (
        <section aria-labelledby="recent-jobs-title">
          <h2 id="recent-jobs-title">{t('screening.lists.recent')}</h2>
          <ul class="links">
            {jobs.map((j) => (
              <li key={j.id}>
                <Link href={pathFor(SCREENING_JOB, { id: j.id })}>
                  {t(`screening.lists.format.${j.format}`)} — <DateTime iso={j.created_at} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
