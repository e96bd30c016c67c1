// One alert: its warning flags first, what to do on a hit, the identity and
// the rest of its content, the lifecycle buttons the user's role allows in
// its status (activate, suspend, withdraw with a reason, execute with date
// and place, extend with a justification), its history and its hits.

import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../../app/api';
import { Actor, Code, DateTime, ErrorNotice, Field, Link, Msg, Name } from '../../app/components';
import { formatSeq, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can, type Action } from '../../app/permissions';
import { currentQuery, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { HitStateBadge, PURPOSE as HIT_PURPOSE, type Hit } from '../hits/common';
import { HIT, NEW_HIT } from '../hits/paths';
import { newRequestHref } from '../assistance/common';
import {
  actorOf,
  alertFieldError,
  ConflictNotice,
  Countries,
  Day,
  fieldLabel,
  PartialDate,
  primaryName,
  PURPOSE,
  StatusBadge,
  Text,
  WarningFlags,
  type Alert,
  type HistoryEntry,
} from './common';
import { ALERTS, EDIT_ALERT } from './paths';

type Transition = 'activate' | 'suspend' | 'withdraw' | 'execute' | 'extend';

// The transitions the node would accept from `me` on `alert` now.
function transitions(alert: Alert, me: Me): Transition[] {
  if (alert.read_only) return [];
  const s = alert.status;
  const allowed: [Transition, boolean][] = [
    ['activate', s === 'draft' || s === 'suspended'],
    ['suspend', s === 'active'],
    ['execute', s === 'active'],
    ['extend', s === 'active' || s === 'suspended'],
    ['withdraw', s === 'draft' || s === 'active' || s === 'suspended'],
  ];
  return allowed.filter(([x, ok]) => ok && can(me, `alert.${x}` as Action)).map(([x]) => x);
}

// Four eyes: the author and the last editor may not activate.
function fourEyesBlocked(alert: Alert, me: Me): boolean {
  const self = actorOf(me);
  return alert.created_by === self || alert.updated_by === self;
}

// "2026-01-31" of today in the browser's time zone (the default date of an
// execution; the node checks it is not in the future).
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const FIELDS: Record<Transition, string[]> = {
  activate: [],
  suspend: ['reason'],
  withdraw: ['reason'],
  execute: ['date', 'place'],
  extend: ['justification', 'review_at'],
};

function Lifecycle({ alert, me, onChanged, onReload }: { alert: Alert; me: Me; onChanged: (a: Alert, done: Transition) => void; onReload: () => void }) {
  const [open, setOpen] = useState<Transition | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const available = transitions(alert, me);
  const blocked = available.includes('activate') && fourEyesBlocked(alert, me);
  const shown = available.filter((x) => !(x === 'activate' && blocked));
  if (available.length === 0) return null;

  const start = (x: Transition) => {
    setOpen(x);
    setError(null);
    setValues(x === 'execute' ? { date: today(), place: '' } : {});
    requestAnimationFrame(() => {
      const first = FIELDS[x][0];
      document.getElementById(first ? `lifecycle-${first}` : 'lifecycle-confirm')?.focus();
    });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!open) return;
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { version: alert.version };
    for (const f of FIELDS[open]) {
      const v = values[f] ?? '';
      if (f === 'review_at') {
        if (v) body.review_at = `${v}T00:00:00Z`;
      } else {
        body[f] = v;
      }
    }
    try {
      const updated = await call<Alert>('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/${open}`, {
        body,
        purpose: PURPOSE,
      });
      const done = open;
      setOpen(null);
      onChanged(updated, done);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.field && FIELDS[open].includes(err.field)) {
        const id = `lifecycle-${err.field.replace('_', '-')}`;
        requestAnimationFrame(() => document.getElementById(id)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  const fieldProblem = error instanceof ApiError && !!open && !!error.field && FIELDS[open].includes(error.field);
  const input = (f: string, kind: 'textarea' | 'text' | 'date', required = true) => (
    <Field
      id={`lifecycle-${f.replace('_', '-')}`}
      key={f}
      label={required ? t(`alerts.lifecycle.field.${f}`) : t('alerts.lifecycle.optional', { label: t(`alerts.lifecycle.field.${f}`) })}
      hint={f === 'review_at' ? t('alerts.lifecycle.hint.review_at') : undefined}
      error={alertFieldError(error, f)}
    >
      {(aria) =>
        kind === 'textarea' ? (
          <textarea
            {...aria}
            dir="auto"
            rows={3}
            value={values[f] ?? ''}
            onInput={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
          />
        ) : (
          <input
            {...aria}
            type={kind}
            dir={kind === 'text' ? 'auto' : undefined}
            autoComplete="off"
            value={values[f] ?? ''}
            onInput={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
          />
        )
      }
    </Field>
  );

  return (
    <section class="card lifecycle" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{t('alerts.lifecycle.title')}</h2>
      {blocked && <p class="hint" id="four-eyes">{t('alerts.lifecycle.four_eyes')}</p>}
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
        error && !fieldProblem && <ErrorNotice error={error} />
      )}
      {!open && shown.length > 0 && (
        <div class="actions">
          {shown.map((x) => (
            <button
              type="button"
              key={x}
              class={x === 'withdraw' ? 'danger' : x === 'activate' ? '' : 'secondary'}
              data-transition={x}
              onClick={() => start(x)}
            >
              {t(`alerts.lifecycle.${x}`)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <form class="form confirm" onSubmit={submit} noValidate aria-labelledby="lifecycle-form-title">
          <h3 id="lifecycle-form-title">{t(`alerts.lifecycle.${open}.title`)}</h3>
          <p>{t(`alerts.lifecycle.${open}.text`)}</p>
          {(open === 'suspend' || open === 'withdraw') && input('reason', 'textarea')}
          {open === 'execute' && (
            <>
              {input('date', 'date')}
              {input('place', 'text')}
            </>
          )}
          {open === 'extend' && (
            <>
              {input('justification', 'textarea')}
              {input('review_at', 'date', false)}
            </>
          )}
          <div class="actions">
            <button type="submit" id="lifecycle-confirm" class={open === 'withdraw' ? 'danger' : ''} disabled={busy}>
              {t(`alerts.lifecycle.${open}.confirm`)}
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

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section aria-labelledby="history-title" class="history">
      <h2 id="history-title">{t('alerts.history.title')}</h2>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="history-title">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('alerts.field.version')}</th>
              <th scope="col">{t('alerts.history.at')}</th>
              <th scope="col">{t('alerts.history.actor')}</th>
              <th scope="col">{t('alerts.history.change')}</th>
              <th scope="col">{t('alerts.history.fields')}</th>
              <th scope="col">{t('alerts.history.note')}</th>
            </tr>
          </thead>
          <tbody>
            {[...entries].reverse().map((e) => (
              <tr key={e.version} data-change={e.change}>
                <td class="num">{formatSeq(e.version)}</td>
                <td>
                  <DateTime iso={e.at} />
                </td>
                <td>
                  <Actor actor={e.actor} />
                </td>
                <td>{t(`alerts.change.${e.change}`)}</td>
                <td>{e.fields.map((f) => fieldLabel(f)).join(t('alerts.list_separator'))}</td>
                <td>{e.note && <Text>{e.note}</Text>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AlertHits({ alert, me }: { alert: Alert; me: Me }) {
  const { data: hits, error } = useLoad(
    (signal) =>
      call<{ hits: Hit[] }>('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}/hits`, { purpose: HIT_PURPOSE, signal }).then(
        (r) => r.hits,
      ),
    [alert.id],
  );
  return (
    <section aria-labelledby="alert-hits-title" class="alert-hits">
      <div class="page-head">
        <h2 id="alert-hits-title">{t('alerts.hits.title')}</h2>
        {can(me, 'hit.report') && alert.status === 'active' && (
          <Link class="button" href={`${NEW_HIT}?alert=${encodeURIComponent(alert.id)}`}>
            {t('alerts.hits.report')}
          </Link>
        )}
      </div>
      <ErrorNotice error={error} />
      {hits && hits.length === 0 && <p>{t('alerts.hits.none')}</p>}
      {hits && hits.length > 0 && (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('alerts.hits.occurred_at')}</th>
              <th scope="col">{t('alerts.hits.place')}</th>
              <th scope="col">{t('alerts.hits.state')}</th>
              <th scope="col">{t('alerts.hits.reporting_agency')}</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr key={h.id}>
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Content({ alert }: { alert: Alert }) {
  return (
    <div class="cards">
      <section class="card" aria-labelledby="alert-identity">
        <h2 id="alert-identity">{t('alerts.detail.identity')}</h2>
        <dl class="facts">
          <dt>{t('alerts.field.names')}</dt>
          <dd>
            <ul class="names">
              {alert.names.map((n, i) => (
                <li key={i}>
                  <Name>{n.full}</Name>{' '}
                  <span class="sub-inline">{t(`alerts.name_kind.${n.kind ?? (i === 0 ? 'primary' : 'alias')}`)}</span>
                </li>
              ))}
            </ul>
          </dd>
          {alert.birth_date && (
            <>
              <dt>{t('alerts.field.birth_date')}</dt>
              <dd>
                <PartialDate value={alert.birth_date} />
              </dd>
            </>
          )}
          {alert.birth_place && (
            <>
              <dt>{t('alerts.field.birth_place')}</dt>
              <dd>
                <Text>{alert.birth_place}</Text>
              </dd>
            </>
          )}
          <dt>{t('alerts.field.gender')}</dt>
          <dd>{t(`alerts.gender.${alert.gender}`)}</dd>
          {alert.nationalities.length > 0 && (
            <>
              <dt>{t('alerts.field.nationalities')}</dt>
              <dd>
                <Countries codes={alert.nationalities} />
              </dd>
            </>
          )}
          {alert.documents.length > 0 && (
            <>
              <dt>{t('alerts.field.documents')}</dt>
              <dd>
                <ul class="plain">
                  {alert.documents.map((d, i) => (
                    <li key={i}>
                      {t(`alerts.document_type.${d.type}`)} <Code>{d.number}</Code>
                      {d.country && <> — <Countries codes={[d.country]} /></>}
                      {d.expires_on && (
                        <>
                          {' '}
                          <Msg k="alerts.detail.expires" values={{ date: <Day value={d.expires_on} /> }} />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          {alert.distinguishing_marks.length > 0 && (
            <>
              <dt>{t('alerts.field.distinguishing_marks')}</dt>
              <dd>
                <ul class="plain">
                  {alert.distinguishing_marks.map((m, i) => (
                    <li key={i}>
                      <Text>{m}</Text>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      </section>
      <section class="card" aria-labelledby="alert-case">
        <h2 id="alert-case">{t('alerts.detail.case')}</h2>
        <dl class="facts">
          <dt>{t('alerts.field.category')}</dt>
          <dd>{t(`alerts.category.${alert.category}`)}</dd>
          {alert.offence && (
            <>
              <dt>{t('alerts.field.offence')}</dt>
              <dd>
                <Text>{alert.offence}</Text>
              </dd>
            </>
          )}
          {alert.warrant && (
            <>
              <dt>{t('alerts.field.warrant')}</dt>
              <dd>
                <Text>{alert.warrant.reference}</Text>
                <span class="sub">
                  <Text>{alert.warrant.authority}</Text> — <Day value={alert.warrant.issued_on} />
                </span>
              </dd>
            </>
          )}
          <dt>{t('alerts.field.handling_code')}</dt>
          <dd>{t(`alerts.handling.${alert.handling_code}`)}</dd>
          <dt>{t('alerts.field.share_with')}</dt>
          <dd>
            {alert.share_with.length === 0
              ? t('alerts.detail.shared_with_none')
              : alert.share_with.map((s, i) => (
                  <Fragment key={s}>
                    {i > 0 && ' '}
                    <Code>{s}</Code>
                  </Fragment>
                ))}
          </dd>
          <dt>{t('alerts.field.owner')}</dt>
          <dd>
            <Code>{alert.owner}</Code>
            {alert.read_only && <span class="sub">{t('alerts.detail.read_only')}</span>}
          </dd>
          {alert.source && (
            <>
              <dt>{t('alerts.field.source')}</dt>
              <dd>
                <Code>{alert.source}</Code>
              </dd>
            </>
          )}
        </dl>
      </section>
      <section class="card" aria-labelledby="alert-record">
        <h2 id="alert-record">{t('alerts.detail.record')}</h2>
        <dl class="facts">
          <dt>{t('alerts.field.version')}</dt>
          <dd>{formatSeq(alert.version)}</dd>
          {alert.review_at && (
            <>
              <dt>{t('alerts.field.review_at')}</dt>
              <dd>
                <DateTime iso={alert.review_at} />
                {alert.review_warned_at && <span class="badge badge-warn">{t('alerts.detail.review_due')}</span>}
              </dd>
            </>
          )}
          <dt>{t('alerts.field.created')}</dt>
          <dd>
            <Msg k="alerts.detail.by_at" values={{ actor: <Actor actor={alert.created_by} />, time: <DateTime iso={alert.created_at} /> }} />
          </dd>
          <dt>{t('alerts.field.updated')}</dt>
          <dd>
            <Msg k="alerts.detail.by_at" values={{ actor: <Actor actor={alert.updated_by} />, time: <DateTime iso={alert.updated_at} /> }} />
          </dd>
          {alert.activated_by && alert.activated_at && (
            <>
              <dt>{t('alerts.field.activated')}</dt>
              <dd>
                <Msg k="alerts.detail.by_at" values={{ actor: <Actor actor={alert.activated_by} />, time: <DateTime iso={alert.activated_at} /> }} />
              </dd>
            </>
          )}
        </dl>
      </section>
    </div>
  );
}

export function AlertDetail({ params, me, agency }: ScreenProps) {
  const [done, setDone] = useState<string | null>(() => {
    const saved = currentQuery().get('saved');
    return saved === 'created' || saved === 'updated' ? saved : null;
  });

  const loaded = useLoad(
    (signal) => {
      const id = encodeURIComponent(params.id);
      return Promise.all([
        call<Alert>('GET', `/api/v1/alerts/${id}`, { purpose: PURPOSE, signal }),
        call<{ history: HistoryEntry[] }>('GET', `/api/v1/alerts/${id}/history`, { purpose: PURPOSE, signal }),
      ]).then(([alert, h]) => ({ alert, history: h.history }));
    },
    [params.id],
  );
  const alert = loaded.data?.alert ?? null;
  const history = loaded.data?.history ?? null;
  // The failure of the last read, not shown while the next one runs.
  const error = loaded.loading ? null : loaded.error;

  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>{t('alerts.detail.title')}</h1>
        <ErrorNotice error={error} />
        <p>
          <Link href={ALERTS}>{t('alerts.back')}</Link>
        </p>
      </>
    );
  }
  if (!alert) {
    return (
      <>
        <h1 tabIndex={-1}>{t('alerts.detail.title')}</h1>
        <p role="status">{t('app.loading')}</p>
      </>
    );
  }
  const editable =
    !alert.read_only &&
    can(me, 'alert.update') &&
    (alert.status === 'draft' || alert.status === 'active' || alert.status === 'suspended');
  return (
    <>
      <p class="breadcrumb">
        <Link href={ALERTS}>{t('alerts.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Name>{primaryName(alert)}</Name>
        </h1>
        <div class="actions head-actions">
          {editable && (
            <Link class="button secondary" href={pathFor(EDIT_ALERT, { id: alert.id })}>
              {t('alerts.edit')}
            </Link>
          )}
          {can(me, 'assistance.create') && (
            <Link
              class="button secondary"
              data-assistance=""
              href={newRequestHref({
                alert: alert.id,
                // The owner when it is a partner; else the first partner it is shared with.
                partner: alert.owner !== agency.code ? alert.owner : alert.share_with.find((c) => c !== agency.code),
              })}
            >
              {t('alerts.request_assistance')}
            </Link>
          )}
        </div>
      </div>
      <p class="alert-status">
        <StatusBadge status={alert.status} /> {t(`alerts.category.${alert.category}`)}
      </p>
      {done && (
        <p class="notice notice-ok" role="status">
          {t(`alerts.done.${done}`)}
        </p>
      )}
      {alert.warnings.length > 0 && (
        <div class="warning-banner" role="note" aria-labelledby="alert-warnings-title">
          <h2 id="alert-warnings-title">{t('alerts.detail.warnings')}</h2>
          <WarningFlags warnings={alert.warnings} />
        </div>
      )}
      {alert.status_reason && (
        <p class="notice">
          {t('alerts.field.status_reason')} <Text>{alert.status_reason}</Text>
        </p>
      )}
      {alert.execution && (
        <p class="notice">
          <Msg
            k="alerts.detail.executed"
            values={{ date: <Day value={alert.execution.date} />, place: <Text>{alert.execution.place}</Text> }}
          />
        </p>
      )}
      <section class="card action-to-take" aria-labelledby="alert-action">
        <h2 id="alert-action">{t('alerts.field.action')}</h2>
        <p>
          <Text>{alert.action}</Text>
        </p>
      </section>
      <Lifecycle
        alert={alert}
        me={me}
        onChanged={(a, x) => {
          loaded.set((d) => d && { ...d, alert: a });
          setDone(x);
          loaded.reload();
        }}
        onReload={() => {
          setDone(null);
          loaded.reload();
        }}
      />
      <Content alert={alert} />
      {can(me, 'hit.read') && <AlertHits alert={alert} me={me} />}
      {history && <History entries={history} />}
    </>
  );
}
