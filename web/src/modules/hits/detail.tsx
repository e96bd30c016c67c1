// One hit report: what the reporting officer wrote, the alert it is about,
// and for the owning agency the follow-up: acknowledge it, or close it
// (recording a false match if it was one), each with an optional reply.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Actor, Code, DateTime, ErrorNotice, Field, fieldError, Link, Msg, Name } from '../../app/components';
import { formatSeq, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, pathFor } from '../../app/router';
import {
  ConflictNotice,
  primaryName,
  PURPOSE as ALERT_PURPOSE,
  StatusBadge,
  Text,
  WarningFlags,
  type Alert,
} from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { HitStateBadge, PURPOSE, type Hit } from './common';
import { HITS } from './paths';
import { newRequestHref } from '../assistance/common';

type Step = 'acknowledge' | 'close';

function FollowUp({ hit, onChanged, onReload }: { hit: Hit; onChanged: (h: Hit, s: Step) => void; onReload: () => void }) {
  const [open, setOpen] = useState<Step | null>(null);
  const [reply, setReply] = useState('');
  const [falseMatch, setFalseMatch] = useState(hit.false_match);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const steps: Step[] = hit.state === 'reported' ? ['acknowledge', 'close'] : hit.state === 'acknowledged' ? ['close'] : [];
  if (steps.length === 0) return null;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!open) return;
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { version: hit.version, reply };
    if (open === 'close') body.false_match = falseMatch;
    try {
      const updated = await call<Hit>('POST', `/api/v1/hits/${encodeURIComponent(hit.id)}/${open}`, {
        body,
        purpose: PURPOSE,
      });
      const done = open;
      setOpen(null);
      setReply('');
      onChanged(updated, done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">{t('hits.follow_up.title')}</h2>
      {error instanceof ApiError && error.status === 409 ? (
        <ConflictNotice
          error={error}
          onReload={() => {
            setError(null);
            setOpen(null);
            onReload();
          }}
        />
      ) : (
        error && !fieldError(error, 'hits', 'reply') && <ErrorNotice error={error} />
      )}
      {!open && (
        <div class="actions">
          {steps.map((s) => (
            <button
              type="button"
              key={s}
              data-step={s}
              class={s === 'close' ? 'secondary' : ''}
              onClick={() => {
                setOpen(s);
                setError(null);
                requestAnimationFrame(() => document.getElementById('hit-reply')?.focus());
              }}
            >
              {t(`hits.follow_up.${s}`)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <form class="form confirm" onSubmit={submit} noValidate aria-labelledby="follow-up-form-title">
          <h3 id="follow-up-form-title">{t(`hits.follow_up.${open}.title`)}</h3>
          <Field id="hit-reply" label={t('hits.field.reply_optional')} hint={t('hits.hint.reply')} error={fieldError(error, 'hits', 'reply')}>
            {(aria) => (
              <textarea {...aria} dir="auto" rows={3} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
            )}
          </Field>
          {open === 'close' && (
            <div class="field field-check">
              <input id="hit-close-false-match" type="checkbox" checked={falseMatch} onChange={(e) => setFalseMatch(e.currentTarget.checked)} />
              <label for="hit-close-false-match">{t('hits.field.close_false_match')}</label>
            </div>
          )}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t(`hits.follow_up.${open}.confirm`)}
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function HitDetail({ params, me, agency }: ScreenProps) {
  const [hit, setHit] = useState<Hit | null>(null);
  const [alert, setAlert] = useState<Alert | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [revision, setRevision] = useState(0);
  const [done, setDone] = useState<string | null>(() => (currentQuery().get('saved') === 'reported' ? 'reported' : null));

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    call<Hit>('GET', `/api/v1/hits/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal: controller.signal }).then(
      (h) => {
        setHit(h);
        call<Alert>('GET', `/api/v1/alerts/${encodeURIComponent(h.alert_id)}`, {
          purpose: ALERT_PURPOSE,
          signal: controller.signal,
        }).then(setAlert, () => setAlert(null));
      },
      (e) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [params.id, revision]);

  if (error || !hit) {
    return (
      <>
        <h1 tabIndex={-1}>{t('hits.detail.title')}</h1>
        {error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}
        <p>
          <Link href={HITS}>{t('hits.back')}</Link>
        </p>
      </>
    );
  }
  const owner = hit.alert_owner === agency.code;
  // The other agency of the hit, to ask for assistance in its follow-up.
  const other = owner ? hit.reporting_agency : hit.alert_owner;
  const partner = other !== agency.code ? other : undefined;
  return (
    <>
      <p class="breadcrumb">
        <Link href={HITS}>{t('hits.back')}</Link>
      </p>
      <h1 tabIndex={-1}>
        {alert ? <Msg k="hits.detail.title_on" values={{ name: <Name>{primaryName(alert)}</Name> }} /> : t('hits.detail.title')}
      </h1>
      <p>
        <HitStateBadge hit={hit} />
      </p>
      {done && (
        <p class="notice notice-ok" role="status">
          {t(`hits.done.${done}`)}
        </p>
      )}
      <div class="cards">
        <section class="card" aria-labelledby="hit-report-title">
          <h2 id="hit-report-title">{t('hits.detail.report')}</h2>
          <dl class="facts">
            <dt>{t('hits.field.occurred_at')}</dt>
            <dd>
              <DateTime iso={hit.occurred_at} />
            </dd>
            <dt>{t('hits.field.place')}</dt>
            <dd>
              <Text>{hit.place}</Text>
            </dd>
            <dt>{t('hits.field.circumstances')}</dt>
            <dd>
              <Text>{hit.circumstances}</Text>
            </dd>
            {hit.action_taken && (
              <>
                <dt>{t('hits.field.action_taken')}</dt>
                <dd>
                  <Text>{hit.action_taken}</Text>
                </dd>
              </>
            )}
            <dt>{t('hits.field.contact')}</dt>
            <dd>
              <Text>{hit.contact}</Text>
            </dd>
            <dt>{t('hits.field.reporting_agency')}</dt>
            <dd>
              <Code>{hit.reporting_agency}</Code>
            </dd>
            <dt>{t('hits.field.reported_by')}</dt>
            <dd>
              <Msg k="hits.detail.by_at" values={{ actor: <Actor actor={hit.reported_by} />, time: <DateTime iso={hit.reported_at} /> }} />
            </dd>
            {hit.reply && (
              <>
                <dt>{t('hits.field.reply')}</dt>
                <dd>
                  <Text>{hit.reply}</Text>
                  <span class="sub">
                    <Msg k="hits.detail.by_at" values={{ actor: <Actor actor={hit.updated_by} />, time: <DateTime iso={hit.updated_at} /> }} />
                  </span>
                </dd>
              </>
            )}
            <dt>{t('hits.field.version')}</dt>
            <dd>{formatSeq(hit.version)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="hit-alert-title">
          <h2 id="hit-alert-title">{t('hits.detail.alert')}</h2>
          {alert ? (
            <>
              <p>
                <Link href={pathFor(ALERT, { id: alert.id })}>
                  <Name>{primaryName(alert)}</Name>
                </Link>
              </p>
              <p>
                <StatusBadge status={alert.status} /> {t(`alerts.category.${alert.category}`)}
              </p>
              <WarningFlags warnings={alert.warnings} />
            </>
          ) : (
            <p>
              <Link href={pathFor(ALERT, { id: hit.alert_id })}>{t('hits.open_alert')}</Link>
            </p>
          )}
          <p>
            {t('hits.field.alert_owner')} <Code>{hit.alert_owner}</Code>
          </p>
        </section>
      </div>
      {owner && can(me, 'hit.update') && (
        <FollowUp
          hit={hit}
          onChanged={(h, s) => {
            setHit(h);
            setDone(s);
          }}
          onReload={() => {
            setDone(null);
            setRevision((r) => r + 1);
          }}
        />
      )}
      {!owner && <p class="hint">{t('hits.detail.partner')}</p>}
      {can(me, 'assistance.create') && partner && (
        <p>
          <Link
            class="button secondary"
            data-assistance=""
            href={newRequestHref({ type: 'hit_follow_up', hit: hit.id, alert: hit.alert_id, partner })}
          >
            {t('hits.request_assistance')}
          </Link>
        </p>
      )}
    </>
  );
}
