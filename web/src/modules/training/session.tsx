// One training session: its programme, dates, place, state, capacity and
// the places confirmed (every agency together, as the provider decides);
// the enrolments held here with their counts per agency (at the provider
// every agency's, at a partner only its own); enrolling a participant of
// our agency and withdrawing one (training.enrol); and, for a session we
// provide, recording attendance and completion of confirmed participants
// (training.manage). Participants are personal data: every read states a
// purpose. Names are shown as written, isolated in <bdi>.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, Link, Name } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import {
  FormError,
  PURPOSE,
  State,
  focusMember,
  memberError,
  type Counts,
  type Enrolment,
  type Session,
} from './common';
import { SessionForm } from './forms';
import './training.css';
import { PROGRAMME, TRAINING } from './paths';

interface EnrolmentList {
  session: Session;
  enrolments: Enrolment[];
  by_agency: Record<string, Counts>;
}

function EnrolForm({ sessionId, onDone }: { sessionId: string; onDone: (e: Enrolment) => void }) {
  const [values, setValues] = useState({ name: '', rank: '', unit: '', email: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: 'enrol-name', rank: 'enrol-rank', unit: 'enrol-unit', email: 'enrol-email' };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await call<Enrolment>('POST', `/api/v1/training/sessions/${sessionId}/enrolments`, {
        body: {
          name: values.name.trim(),
          rank: values.rank.trim(),
          unit: values.unit.trim(),
          email: values.email.trim(),
        },
        purpose: PURPOSE,
      });
      setValues({ name: '', rank: '', unit: '', email: '' });
      onDone(r);
    } catch (x) {
      setError(x);
      focusMember(x, ids);
    } finally {
      setBusy(false);
    }
  };
  const conflict = error instanceof ApiError && error.status === 409;
  const input = (k: keyof typeof values, mode: 'text' | 'email' = 'text', dir: 'auto' | 'ltr' = 'auto') => (
    <Field id={ids[k]} label={t(`training.field.participant.${k}`)} error={memberError(error, k)}>
      {(aria) => (
        <input
          {...aria}
          type="text"
          inputMode={mode}
          spellcheck={false}
          dir={dir}
          autoComplete="off"
          value={values[k]}
          onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
        />
      )}
    </Field>
  );
  return (
    <form class="form inline-form enrol-form" onSubmit={submit} noValidate>
      {conflict ? (
        <div class="notice notice-error" role="alert">
          <p>{t('training.enrol.refused')}</p>
          {(error as ApiError).problem.detail && (
            <p class="server-detail">
              {t('app.error.node_says')}{' '}
              <bdi lang="en" data-raw="">
                {(error as ApiError).problem.detail}
              </bdi>
            </p>
          )}
        </div>
      ) : (
        <FormError error={error} />
      )}
      {input('name')}
      {input('rank')}
      {input('unit')}
      {input('email', 'email', 'ltr')}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('training.enrol.submit')}
        </button>
      </div>
    </form>
  );
}

// Attendance and completion of one confirmed participant (the provider).
function RecordForm({ e, onDone }: { e: Enrolment; onDone: () => void }) {
  const base = `record-${e.id.slice(0, 8)}`;
  const [attended, setAttended] = useState(e.attended === null ? '' : e.attended ? 'yes' : 'no');
  const [completion, setCompletion] = useState(e.completion ?? '');
  const [certificate, setCertificate] = useState(e.certificate_number ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = { attended: `${base}-attended`, completion: `${base}-completion`, certificate_number: `${base}-certificate` };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call<Enrolment>('POST', `/api/v1/training/enrolments/${e.id}/record`, {
        body: {
          attended: attended === '' ? null : attended === 'yes',
          completion: completion === '' ? null : completion,
          certificate_number: completion === 'completed' ? certificate.trim() : '',
        },
        purpose: PURPOSE,
      });
      onDone();
    } catch (x) {
      setError(x);
      focusMember(x, ids);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form record-form" onSubmit={submit} noValidate data-record={e.id}>
      <FormError error={error} />
      <Field id={ids.attended} label={t('training.field.attended')} error={memberError(error, 'attended')}>
        {(aria) => (
          <select {...aria} value={attended} onChange={(x) => setAttended(x.currentTarget.value)}>
            <option value="">{t('training.unknown')}</option>
            <option value="yes">{t('training.yes')}</option>
            <option value="no">{t('training.no')}</option>
          </select>
        )}
      </Field>
      <Field id={ids.completion} label={t('training.field.completion')} error={memberError(error, 'completion')}>
        {(aria) => (
          <select {...aria} value={completion} onChange={(x) => setCompletion(x.currentTarget.value)}>
            <option value="">{t('training.unknown')}</option>
            <option value="completed">{t('training.completion.completed')}</option>
            <option value="not_completed">{t('training.completion.not_completed')}</option>
          </select>
        )}
      </Field>
      {completion === 'completed' && (
        <Field
          id={ids.certificate_number}
          label={t('training.field.certificate_number')}
          error={memberError(error, 'certificate_number')}
        >
          {(aria) => (
            <input {...aria} type="text" dir="ltr" value={certificate} onInput={(x) => setCertificate(x.currentTarget.value)} />
          )}
        </Field>
      )}
      <div class="actions">
        <button type="submit" class="small" disabled={busy}>
          {t('training.record.submit')}
        </button>
      </div>
    </form>
  );
}

function Outcome({ e }: { e: Enrolment }) {
  return (
    <>
      {e.attended === null ? (
        <span class="sub-inline">{t('training.attended.unknown')}</span>
      ) : (
        t(e.attended ? 'training.attended.yes' : 'training.attended.no')
      )}
      {e.completion && (
        <>
          {' — '}
          {t(`training.completion.${e.completion}`)}
          {e.certificate_number && (
            <>
              {' '}
              <Code>{e.certificate_number}</Code>
            </>
          )}
        </>
      )}
    </>
  );
}

export function SessionDetail({ me, params }: ScreenProps) {
  const [s, setS] = useState<Session | null>(null);
  const [list, setList] = useState<EnrolmentList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  // The message key of the last change made, announced in a status line.
  const [done, setDone] = useState('');
  const [editing, setEditing] = useState(false);
  const mayEnrol = can(me, 'training.enrol');

  useEffect(() => {
    const controller = new AbortController();
    const id = encodeURIComponent(params.id);
    call<Session>('GET', `/api/v1/training/sessions/${id}`, { purpose: PURPOSE, signal: controller.signal }).then(
      (r) => {
        setS(r);
        setError(null);
      },
      (e) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    if (mayEnrol) {
      call<EnrolmentList>('GET', `/api/v1/training/sessions/${id}/enrolments`, {
        purpose: PURPOSE,
        signal: controller.signal,
      }).then(setList, (e) => {
        if (!controller.signal.aborted) setError(e);
      });
    }
    return () => controller.abort();
  }, [params.id, round, mayEnrol]);

  const refresh = (message: string) => {
    setDone(message);
    setActionError(null);
    setRound((r) => r + 1);
  };
  const withdraw = async (e: Enrolment) => {
    setActionError(null);
    try {
      await call<Enrolment>('DELETE', `/api/v1/training/enrolments/${e.id}`, { purpose: PURPOSE });
      refresh('training.done.withdrawn');
    } catch (x) {
      setActionError(x);
    }
  };

  const ours = !!s && s.owner === me.agency;
  const manage = ours && can(me, 'training.manage');
  const confirmed = s?.confirmed ?? 0;
  const left = s ? Math.max(0, s.capacity - confirmed) : 0;
  const agencies = list ? Object.keys(list.by_agency).sort() : [];

  return (
    <>
      <p class="breadcrumb">
        {s ? (
          <Link href={pathFor(PROGRAMME, { id: s.programme_id })}>{t('training.session.back')}</Link>
        ) : (
          <Link href={TRAINING}>{t('training.back')}</Link>
        )}
      </p>
      <h1 tabIndex={-1}>{t('training.session.title')}</h1>
      {error && <ErrorNotice error={error} />}
      {!s && !error && <p role="status">{t('app.loading')}</p>}
      {done && (
        <p class="notice notice-ok" role="status">
          {t(done)}
        </p>
      )}
      {actionError && <ErrorNotice error={actionError} />}
      {s && (
        <>
          {!ours && (
            <p class="notice">
              {t('training.session.partner')} <Code>{s.owner}</Code>
            </p>
          )}
          {editing ? (
            <section class="card" aria-labelledby="session-edit-title">
              <h2 id="session-edit-title">{t('training.session.edit')}</h2>
              <SessionForm
                programmeId={s.programme_id}
                session={s}
                onSaved={() => {
                  setEditing(false);
                  refresh('training.done.saved');
                }}
                onCancel={() => setEditing(false)}
              />
            </section>
          ) : (
            <dl class="facts session-facts">
              <dt>{t('training.field.state')}</dt>
              <dd>
                <State state={s.state} />
              </dd>
              <dt>{t('training.field.starts_at')}</dt>
              <dd>
                <DateTime iso={s.starts_at} />
              </dd>
              <dt>{t('training.field.ends_at')}</dt>
              <dd>
                <DateTime iso={s.ends_at} />
              </dd>
              <dt>{t('training.field.place')}</dt>
              <dd>
                <bdi data-raw="">{s.place}</bdi>
              </dd>
              <dt>{t('training.field.capacity')}</dt>
              <dd data-field="capacity" data-value={s.capacity}>
                {formatNumber(s.capacity)}
              </dd>
              {/* The provider holds every agency's enrolments; a partner
                  only its own, so it cannot tell how many places are left. */}
              <dt>{t(ours ? 'training.field.confirmed' : 'training.field.confirmed_ours')}</dt>
              <dd data-field="confirmed" data-value={confirmed}>
                {ours ? t('training.session.places', { confirmed, capacity: s.capacity, left }) : formatNumber(confirmed)}
              </dd>
            </dl>
          )}
          {manage && !editing && (
            <p>
              <button type="button" class="secondary" id="session-edit" onClick={() => setEditing(true)}>
                {t('training.session.edit')}
              </button>
            </p>
          )}

          {mayEnrol && list && (
            <>
              <h2>{t('training.by_agency.title')}</h2>
              {agencies.length === 0 ? (
                <p class="notice">{t('training.enrolments.empty')}</p>
              ) : (
                <div class="table-scroll">
                  <table class="data by-agency">
                    <caption class="visually-hidden">{t('training.by_agency.title')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('training.field.agency')}</th>
                        <th scope="col">{t('training.state.pending')}</th>
                        <th scope="col">{t('training.state.confirmed')}</th>
                        <th scope="col">{t('training.state.refused')}</th>
                        <th scope="col">{t('training.state.withdrawn')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {agencies.map((a) => (
                        <tr key={a} data-agency={a}>
                          <th scope="row">
                            <Code>{a}</Code>
                          </th>
                          <td class="num">{formatNumber(list.by_agency[a].pending)}</td>
                          <td class="num" data-field="confirmed">
                            {formatNumber(list.by_agency[a].confirmed)}
                          </td>
                          <td class="num">{formatNumber(list.by_agency[a].refused)}</td>
                          <td class="num">{formatNumber(list.by_agency[a].withdrawn)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}

              {list.enrolments.length > 0 && (
                <>
                  <h2>{t('training.enrolments.title')}</h2>
                  <ul class="cards enrolments">
                    {list.enrolments.map((e) => (
                      <li class="card enrolment" key={e.id} data-enrolment={e.participant.name} data-status={e.status}>
                        <h3>
                          <Name>{e.participant.name}</Name>
                        </h3>
                        <dl class="facts">
                          {e.participant.rank && (
                            <>
                              <dt>{t('training.field.participant.rank')}</dt>
                              <dd>
                                <bdi data-raw="">{e.participant.rank}</bdi>
                              </dd>
                            </>
                          )}
                          {e.participant.unit && (
                            <>
                              <dt>{t('training.field.participant.unit')}</dt>
                              <dd>
                                <bdi data-raw="">{e.participant.unit}</bdi>
                              </dd>
                            </>
                          )}
                          <dt>{t('training.field.agency')}</dt>
                          <dd>
                            <Code>{e.agency}</Code>
                          </dd>
                          <dt>{t('training.field.status')}</dt>
                          <dd data-field="status">
                            <State state={e.status} />
                            {e.status_reason && <> {t(`training.reason.${e.status_reason}`)}</>}
                          </dd>
                          <dt>{t('training.field.outcome')}</dt>
                          <dd data-field="outcome">
                            <Outcome e={e} />
                          </dd>
                        </dl>
                        {e.agency === me.agency && !e.withdrawn && e.status !== 'refused' && (
                          <p>
                            <button type="button" class="secondary small" onClick={() => withdraw(e)}>
                              {t('training.withdraw')}
                            </button>
                          </p>
                        )}
                        {manage && e.status === 'confirmed' && (
                          <RecordForm e={e} onDone={() => refresh('training.done.recorded')} />
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}

              {(s.state === 'planned' || s.state === 'open') && (
                <section class="card" aria-labelledby="enrol-title">
                  <h2 id="enrol-title">{t('training.enrol.title')}</h2>
                  <p class="hint">{t(ours ? 'training.enrol.hint_ours' : 'training.enrol.hint_partner')}</p>
                  <EnrolForm sessionId={s.id} onDone={() => refresh('training.done.enrolled')} />
                </section>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}
