// Filing a hit report on an alert (?alert=<id>): from the alert's page or
// from a screening match. The alert is shown first (warnings, action to
// take); the node checks every field and names the one at fault.

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { ErrorNotice, Field, fieldError, Link, Msg, Name } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { currentQuery, navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { primaryName, PURPOSE as ALERT_PURPOSE, StatusBadge, Text, WarningFlags, type Alert } from '../alerts/common';
import { ALERT, ALERTS } from '../alerts/paths';
import { PURPOSE, type Hit } from './common';
import { HIT } from './paths';

const FIELDS = ['place', 'occurred_at', 'circumstances', 'action_taken', 'contact', 'false_match'] as const;
const id = (f: string) => `hit-${f.replace('_', '-')}`;

// "2026-01-02T03:04" (a datetime-local value) for now, in local time.
function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function HitForm({ alert }: { alert: Alert }) {
  const [values, setValues] = useState<Record<string, string>>({
    place: '',
    occurred_at: nowLocal(),
    circumstances: '',
    action_taken: '',
    contact: '',
  });
  const [falseMatch, setFalseMatch] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: string) => setValues({ ...values, [k]: v });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const when = new Date(values.occurred_at);
    try {
      const hit = await call<Hit>('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/hits`, {
        body: {
          place: values.place,
          occurred_at: Number.isNaN(when.getTime()) ? values.occurred_at : when.toISOString(),
          circumstances: values.circumstances,
          action_taken: values.action_taken,
          contact: values.contact,
          false_match: falseMatch,
        },
        purpose: PURPOSE,
      });
      navigate(`${pathFor(HIT, { id: hit.id })}?saved=reported`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.field) {
        const target = id(err.field);
        requestAnimationFrame(() => document.getElementById(target)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  const fieldProblem = error instanceof ApiError && !!error.field && (FIELDS as readonly string[]).includes(error.field);
  const text = (f: string, rows = 0, hint?: string) => (
    <Field id={id(f)} label={t(`hits.field.${f}`)} hint={hint} error={fieldError(error, 'hits', f)}>
      {(aria) =>
        rows ? (
          <textarea {...aria} dir="auto" rows={rows} value={values[f]} onInput={(e) => set(f, e.currentTarget.value)} />
        ) : (
          <input {...aria} type="text" dir="auto" autoComplete="off" value={values[f]} onInput={(e) => set(f, e.currentTarget.value)} />
        )
      }
    </Field>
  );

  return (
    <>
      {fieldProblem ? (
        <p class="notice notice-error" role="alert">
          {t('hits.new.fix')}
        </p>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      <form class="form" onSubmit={submit} noValidate>
        <Field id={id('occurred_at')} label={t('hits.field.occurred_at')} error={fieldError(error, 'hits', 'occurred_at')}>
          {(aria) => (
            <input
              {...aria}
              type="datetime-local"
              value={values.occurred_at}
              onInput={(e) => set('occurred_at', e.currentTarget.value)}
            />
          )}
        </Field>
        {text('place', 0, t('hits.hint.place'))}
        {text('circumstances', 4, t('hits.hint.circumstances'))}
        <div class="field field-check">
          <input id={id('false_match')} type="checkbox" checked={falseMatch} onChange={(e) => setFalseMatch(e.currentTarget.checked)} aria-describedby="hit-false-match-hint" />
          <label for={id('false_match')}>{t('hits.field.false_match')}</label>
          <p class="hint" id="hit-false-match-hint">
            {t('hits.hint.false_match')}
          </p>
        </div>
        {text('action_taken', 3, falseMatch ? t('hits.hint.action_taken_optional') : t('hits.hint.action_taken'))}
        {text('contact', 0, t('hits.hint.contact'))}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('hits.new.submit')}
          </button>
          <Link class="button secondary" href={pathFor(ALERT, { id: alert.id })}>
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

export function NewHit(_: ScreenProps) {
  const alertId = currentQuery().get('alert') ?? '';
  const { data: alert, error } = useLoad(
    alertId ? (signal) => call<Alert>('GET', `/api/v1/alerts/${encodeURIComponent(alertId)}`, { purpose: ALERT_PURPOSE, signal }) : null,
    [alertId],
  );

  if (!alertId) {
    return (
      <>
        <h1 tabIndex={-1}>{t('hits.new.title')}</h1>
        <p>{t('hits.new.no_alert')}</p>
        <p>
          <Link href={ALERTS}>{t('hits.new.to_alerts')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      {alert && (
        <p class="breadcrumb">
          <Link href={pathFor(ALERT, { id: alert.id })}>{t('hits.back_to_alert')}</Link>
        </p>
      )}
      <h1 tabIndex={-1}>
        {alert ? <Msg k="hits.new.title_on" values={{ name: <Name>{primaryName(alert)}</Name> }} /> : t('hits.new.title')}
      </h1>
      <ErrorNotice error={error} />
      {!alert && !error && <p role="status">{t('app.loading')}</p>}
      {alert && (
        <>
          <section class="card hit-alert" aria-labelledby="hit-alert-title">
            <h2 id="hit-alert-title">{t('hits.new.alert')}</h2>
            <p>
              <StatusBadge status={alert.status} /> {t(`alerts.category.${alert.category}`)}
            </p>
            <WarningFlags warnings={alert.warnings} />
            <p>
              <strong>{t('alerts.field.action')}</strong> <Text>{alert.action}</Text>
            </p>
          </section>
          {alert.status !== 'active' ? (
            <p class="notice notice-error" role="alert">
              {t('hits.new.not_active')}
            </p>
          ) : (
            <HitForm alert={alert} />
          )}
        </>
      )}
    </>
  );
}
