// One mutual-assistance request: its legal deadline (live count-down, the
// rule and its reference), what was asked and why, the linked alert or hit,
// the catalogue item a request for technical assistance names (its title
// and provider, read from the catalogue held here; its identifier when this
// node does not hold it), the responses (answer, refusal, questions and
// clarifications), the steps
// this node's party may take in its state and the user's permissions allow
// (the requested agency: start, answer, refuse with a reason, ask a question;
// the requester: clarify, close or withdraw), each sent with the version the
// user saw (a 409 says the request moved on and offers to reload it), and
// the history of both agencies' steps.

import { useState } from 'preact/hooks';
import { ApiError, call, type Me } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, fieldError, Link, Msg } from '../../app/components';
import { formatDuration, formatSeq, formatTime, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { HIT } from '../hits/paths';
import type { CatalogueItem } from '../training/common';
import { CATALOGUE } from '../training/paths';
import {
  ConflictNotice,
  Countdown,
  DirectionLabel,
  HistoryActor,
  isOpen,
  MAX_QUESTIONS,
  PURPOSE,
  REFUSAL_REASONS,
  RuleReference,
  ruleText,
  StateBadge,
  useNow,
  type AssistanceRequest,
  type HistoryEntry,
} from './common';
import { listHref } from './list';

type Step = 'start' | 'answer' | 'refuse' | 'request_clarification' | 'clarify' | 'close';

// The input members of each step (the body of its POST besides version).
const FIELDS: Record<Step, string[]> = {
  start: [],
  answer: ['answer'],
  refuse: ['reason', 'text'],
  request_clarification: ['question'],
  clarify: ['clarification'],
  close: ['note'],
};

// The steps this node may take on `r` now: the requested agency works on
// and responds to an incoming request; the requester clarifies and closes
// its outgoing one (docs/assistance.md, "States").
export function availableSteps(r: AssistanceRequest, me: Me): Step[] {
  if (!can(me, 'assistance.update')) return [];
  const s = r.state;
  const steps: Step[] = [];
  if (r.direction === 'incoming') {
    const responding = s === 'received' || s === 'in_progress' || s === 'clarified';
    if (s === 'received' || s === 'clarified') steps.push('start');
    if (responding) {
      steps.push('answer', 'refuse');
      const asked = (r.history ?? []).filter((e) => e.transition === 'request_clarification').length;
      if (asked < MAX_QUESTIONS) steps.push('request_clarification');
    }
  } else {
    if (s === 'clarification_requested') steps.push('clarify');
    if (s !== 'closed') steps.push('close');
  }
  return steps;
}

// Whose turn it is, in words (a key of assistance.waiting.*), or null once
// closed.
function whoseTurn(r: AssistanceRequest): string | null {
  const s = r.state;
  if (s === 'closed') return null;
  if (r.direction === 'outgoing') {
    if (s === 'submitted') return 'not_received';
    if (s === 'clarification_requested') return 'clarify';
    if (s === 'answered' || s === 'refused') return 'close';
    return 'partner';
  }
  if (s === 'clarification_requested') return 'requester';
  if (s === 'answered' || s === 'refused') return 'closing';
  return 'respond';
}

// The words of a step: closing an open request withdraws it.
function stepName(step: Step, r: AssistanceRequest): string {
  return step === 'close' && isOpen(r.state) ? 'withdraw' : step;
}

const fieldId = (f: string) => `assistance-step-${f}`;

function Steps({
  r,
  me,
  onChanged,
  onReload,
}: {
  r: AssistanceRequest;
  me: Me;
  onChanged: (r: AssistanceRequest, done: string) => void;
  onReload: () => void;
}) {
  const [open, setOpen] = useState<{ step: Step; version: number; name: string } | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const steps = availableSteps(r, me);
  if (steps.length === 0 && !open && !error) return null;

  const begin = (step: Step) => {
    // The version the user saw: sent with the step, so that a change made
    // meanwhile (here or by the partner) is refused rather than overwritten.
    setOpen({ step, version: r.version, name: stepName(step, r) });
    setError(null);
    setValues(step === 'refuse' ? { reason: '', text: '' } : {});
    requestAnimationFrame(() => {
      const first = FIELDS[step][0];
      document.getElementById(first ? fieldId(first) : 'assistance-step-confirm')?.focus();
    });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!open) return;
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { version: open.version };
    for (const f of FIELDS[open.step]) body[f] = values[f] ?? '';
    try {
      const updated = await call<AssistanceRequest>(
        'POST',
        `/api/v1/assistance-requests/${encodeURIComponent(r.id)}/${open.step === 'start' ? 'accept' : open.step.replace('_', '-')}`,
        { body, purpose: PURPOSE },
      );
      const done = open.name;
      setOpen(null);
      onChanged(updated, done);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.field && FIELDS[open.step].includes(err.field)) {
        const target = fieldId(err.field);
        requestAnimationFrame(() => document.getElementById(target)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  const fieldProblem = error instanceof ApiError && !!open && !!error.field && FIELDS[open.step].includes(error.field);
  const textarea = (f: string, label: string, hint?: string, rows = 4) => (
    <Field id={fieldId(f)} key={f} label={label} hint={hint} error={fieldError(error, 'assistance', f)}>
      {(aria) => (
        <textarea
          {...aria}
          dir="auto"
          rows={rows}
          value={values[f] ?? ''}
          onInput={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
        />
      )}
    </Field>
  );

  return (
    <section class="card lifecycle" aria-labelledby="assistance-steps-title">
      <h2 id="assistance-steps-title">{t('assistance.steps.title')}</h2>
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
      {!open && steps.length > 0 && (
        <div class="actions">
          {steps.map((s) => {
            const name = stepName(s, r);
            const cls = s === 'refuse' || name === 'withdraw' ? 'danger' : s === 'request_clarification' || s === 'close' ? 'secondary' : '';
            return (
              <button type="button" key={s} class={cls} data-transition={s} onClick={() => begin(s)}>
                {t(`assistance.step.${name}`)}
              </button>
            );
          })}
        </div>
      )}
      {open && (
        <form class="form confirm" onSubmit={submit} noValidate aria-labelledby="assistance-step-form-title">
          <h3 id="assistance-step-form-title">{t(`assistance.step.${open.name}.title`)}</h3>
          <p>{t(`assistance.step.${open.name}.text`)}</p>
          {open.step === 'answer' && textarea('answer', t('assistance.field.answer'), t('assistance.hint.answer'), 6)}
          {open.step === 'refuse' && (
            <>
              <Field id={fieldId('reason')} label={t('assistance.field.refusal_reason')} error={fieldError(error, 'assistance', 'reason')}>
                {(aria) => (
                  <select {...aria} value={values.reason ?? ''} onChange={(e) => setValues({ ...values, reason: e.currentTarget.value })}>
                    <option value="">{t('assistance.choose')}</option>
                    {REFUSAL_REASONS.map((x) => (
                      <option value={x} key={x}>
                        {t(`assistance.refusal.${x}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {textarea(
                'text',
                values.reason === 'other' ? t('assistance.field.refusal_text') : t('assistance.field.refusal_text_optional'),
                values.reason === 'other' ? t('assistance.hint.refusal_text_other') : t('assistance.hint.refusal_text'),
              )}
            </>
          )}
          {open.step === 'request_clarification' &&
            textarea('question', t('assistance.field.question'), t('assistance.hint.question'))}
          {open.step === 'clarify' && textarea('clarification', t('assistance.field.clarification'), t('assistance.hint.clarification'))}
          {open.step === 'close' && textarea('note', t('assistance.field.close_note_optional'), undefined, 3)}
          <div class="actions">
            <button
              type="submit"
              id="assistance-step-confirm"
              class={open.step === 'refuse' || open.name === 'withdraw' ? 'danger' : ''}
              disabled={busy}
            >
              {t(`assistance.step.${open.name}.confirm`)}
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
    <section aria-labelledby="assistance-history-title" class="history">
      <h2 id="assistance-history-title">{t('assistance.history.title')}</h2>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="assistance-history-title">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('assistance.field.version')}</th>
              <th scope="col">{t('assistance.history.at')}</th>
              <th scope="col">{t('assistance.history.agency')}</th>
              <th scope="col">{t('assistance.history.actor')}</th>
              <th scope="col">{t('assistance.history.what')}</th>
              <th scope="col">{t('assistance.history.note')}</th>
            </tr>
          </thead>
          <tbody>
            {[...entries].reverse().map((e) => (
              <tr key={`${e.version}-${e.agency}`} data-transition={e.transition}>
                <td class="num">{formatSeq(e.version)}</td>
                <td>
                  <DateTime iso={e.at} />
                </td>
                <td>
                  <Code>{e.agency}</Code>
                </td>
                <td>
                  <HistoryActor actor={e.actor} />
                </td>
                <td>{t(`assistance.transition.${e.transition}`)}</td>
                <td>
                  {e.reason && <span class="badge badge-muted">{t(`assistance.refusal.${e.reason}`)}</span>}
                  {e.reason && e.note && ' '}
                  {e.note && <Text>{e.note}</Text>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// A text and when it was written, as a definition-list entry.
function Said({ label, text, at, field }: { label: string; text: string; at: string | null; field: string }) {
  if (!text && !at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd data-field={field}>
        {text ? <Text>{text}</Text> : <span class="sub-inline">{t('assistance.detail.no_text')}</span>}
        {at && (
          <span class="sub">
            <DateTime iso={at} />
          </span>
        )}
      </dd>
    </>
  );
}

function Responses({ r }: { r: AssistanceRequest }) {
  const any = r.clarification_question || r.clarification || r.answer || r.refusal_reason || r.closed_at;
  return (
    <section class="card responses" aria-labelledby="assistance-responses-title">
      <h2 id="assistance-responses-title">{t('assistance.detail.responses')}</h2>
      {!any && <p class="sub-inline">{t('assistance.detail.no_response')}</p>}
      {any && (
        <dl class="facts assistance-facts">
          <Said
            field="clarification_question"
            label={t('assistance.field.question')}
            text={r.clarification_question}
            at={r.clarification_requested_at}
          />
          <Said field="clarification" label={t('assistance.field.clarification')} text={r.clarification} at={r.clarified_at} />
          <Said field="answer" label={t('assistance.field.answer')} text={r.answer} at={r.answered_at} />
          {r.refusal_reason && (
            <>
              <dt>{t('assistance.field.refusal_reason')}</dt>
              <dd data-field="refusal_reason" data-reason={r.refusal_reason}>
                {t(`assistance.refusal.${r.refusal_reason}`)}
                {r.refusal_text && (
                  <span class="sub">
                    <Text>{r.refusal_text}</Text>
                  </span>
                )}
                {r.refused_at && (
                  <span class="sub">
                    <DateTime iso={r.refused_at} />
                  </span>
                )}
              </dd>
            </>
          )}
          {r.closed_at && <Said field="close_note" label={t('assistance.field.close_note')} text={r.close_note} at={r.closed_at} />}
        </dl>
      )}
    </section>
  );
}

function DeadlineCard({ r, fetchedAt }: { r: AssistanceRequest; fetchedAt: number }) {
  const now = useNow(1000);
  const d = r.deadline;
  return (
    <section class="card deadline-card" aria-labelledby="assistance-deadline-title">
      <h2 id="assistance-deadline-title">{t('assistance.detail.deadline')}</h2>
      <p class="deadline-now">
        <Countdown r={r} clock={{ fetchedAt, now }} large />
      </p>
      <dl class="facts assistance-facts">
        <dt>{t('assistance.field.rule')}</dt>
        <dd data-rule={d.rule}>{ruleText(d)}</dd>
        <dt>{t('assistance.field.legal_reference')}</dt>
        <dd>
          <RuleReference d={d} />
        </dd>
        <dt>{t('assistance.field.received_at')}</dt>
        <dd>{r.received_at ? <DateTime iso={r.received_at} /> : <span class="sub-inline">{t('assistance.detail.not_received')}</span>}</dd>
        {d.deadline_at && (
          <>
            <dt>{t('assistance.field.deadline_at')}</dt>
            <dd>
              <DateTime iso={d.deadline_at} />
            </dd>
          </>
        )}
        {d.warning_at && (
          <>
            <dt>{t('assistance.field.warning_at')}</dt>
            <dd>
              <DateTime iso={d.warning_at} />
            </dd>
          </>
        )}
        {r.suspended_ms > 0 && (
          <>
            <dt>{t('assistance.field.suspended')}</dt>
            <dd>{formatDuration(r.suspended_ms / 1000)}</dd>
          </>
        )}
        {d.responded_at && (
          <>
            <dt>{t('assistance.field.responded_at')}</dt>
            <dd>
              <DateTime iso={d.responded_at} />
            </dd>
          </>
        )}
      </dl>
      <p class="hint">{t(d.paused ? 'assistance.detail.deadline_paused' : 'assistance.detail.deadline_hint')}</p>
    </section>
  );
}

function RequestFacts({ r, me }: { r: AssistanceRequest; me: Me }) {
  return (
    <section class="card" aria-labelledby="assistance-request-title">
      <h2 id="assistance-request-title">{t('assistance.detail.request')}</h2>
      <dl class="facts assistance-facts">
        <dt>{t('assistance.field.type')}</dt>
        <dd>{t(`assistance.type.${r.type}`)}</dd>
        {r.catalogue_item_id && <CatalogueItemFact id={r.catalogue_item_id} me={me} />}
        <dt>{t('assistance.field.urgency')}</dt>
        <dd>
          {t(`assistance.urgency.${r.urgency}`)}
          {r.urgency_reason && (
            <span class="sub">
              <Text>{r.urgency_reason}</Text>
            </span>
          )}
        </dd>
        <dt>{t('assistance.field.accessible_short')}</dt>
        <dd>{t(r.directly_accessible ? 'assistance.accessible.short_yes' : 'assistance.accessible.short_no')}</dd>
        <dt>{t('assistance.field.description')}</dt>
        <dd data-field="description">
          <Text>{r.description}</Text>
        </dd>
        <dt>{t('assistance.field.grounds')}</dt>
        <dd>
          <Text>{r.grounds}</Text>
        </dd>
        {r.case_reference && (
          <>
            <dt>{t('assistance.field.case_reference_short')}</dt>
            <dd>
              <Text>{r.case_reference}</Text>
            </dd>
          </>
        )}
        {r.alert_id && (
          <>
            <dt>{t('assistance.field.alert')}</dt>
            <dd>
              {can(me, 'alert.read') ? (
                <Link href={pathFor(ALERT, { id: r.alert_id })} class="linked-alert">
                  {t('assistance.detail.open_alert')}
                </Link>
              ) : (
                <Code>{r.alert_id}</Code>
              )}
            </dd>
          </>
        )}
        {r.hit_id && (
          <>
            <dt>{t('assistance.field.hit')}</dt>
            <dd>
              {can(me, 'hit.read') ? (
                <Link href={pathFor(HIT, { id: r.hit_id })} class="linked-hit">
                  {t('assistance.detail.open_hit')}
                </Link>
              ) : (
                <Code>{r.hit_id}</Code>
              )}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

// The catalogue item a request names, read from the catalogue held here:
// its title (linking to the catalogue, filtered to its domain), its domain
// and the agency offering it; its identifier when this node does not hold
// it (404), or when it cannot be read.
type ItemRead = { kind: 'loading' } | { kind: 'held'; item: CatalogueItem } | { kind: 'not_held' } | { kind: 'unread' };

function CatalogueItemFact({ id, me }: { id: string; me: Me }) {
  const allowed = can(me, 'training.read');
  // The item and failure of the identifier they answer.
  const { data: item, error } = useLoad(
    allowed ? (signal) => call<CatalogueItem>('GET', `/api/v1/training/catalogue/${encodeURIComponent(id)}`, { purpose: PURPOSE, signal }) : null,
    [id, allowed],
    { keep: false },
  );
  const state: ItemRead = !allowed
    ? { kind: 'unread' }
    : item
      ? { kind: 'held', item }
      : error
        ? error instanceof ApiError && error.status === 404
          ? { kind: 'not_held' }
          : { kind: 'unread' }
        : { kind: 'loading' };
  return (
    <>
      <dt>{t('assistance.field.catalogue_item')}</dt>
      <dd data-field="catalogue_item" data-item={id} data-state={state.kind}>
        {state.kind === 'loading' && <span class="sub-inline">{t('app.loading')}</span>}
        {state.kind === 'held' && (
          <>
            <Link href={`${CATALOGUE}?domain=${encodeURIComponent(state.item.domain)}`} class="catalogue-item-title">
              <bdi data-raw="">{state.item.title}</bdi>
            </Link>
            <span class="sub">
              {t(`training.domain.${state.item.domain}`)} —{' '}
              <Msg k="assistance.detail.catalogue_provider" values={{ agency: <Code>{state.item.owner}</Code> }} />
            </span>
          </>
        )}
        {state.kind === 'not_held' && (
          <span class="sub-inline">
            <Msg k="assistance.detail.catalogue_not_held" values={{ id: <Code>{id}</Code> }} />
          </span>
        )}
        {state.kind === 'unread' && <Code>{id}</Code>}
      </dd>
    </>
  );
}

function RecordFacts({ r }: { r: AssistanceRequest }) {
  return (
    <section class="card" aria-labelledby="assistance-record-title">
      <h2 id="assistance-record-title">{t('assistance.detail.record')}</h2>
      <dl class="facts assistance-facts">
        <dt>{t('assistance.field.requester')}</dt>
        <dd>
          <Code>{r.requester}</Code>
        </dd>
        <dt>{t('assistance.field.requested')}</dt>
        <dd>
          <Code>{r.requested}</Code>
        </dd>
        <dt>{t('assistance.field.submitted_at')}</dt>
        <dd>
          <DateTime iso={r.submitted_at} />
        </dd>
        {r.created_by && (
          <>
            <dt>{t('assistance.field.created_by')}</dt>
            <dd>
              <HistoryActor actor={r.created_by} />
            </dd>
          </>
        )}
        <dt>{t('assistance.field.version')}</dt>
        <dd data-field="version">{formatSeq(r.version)}</dd>
        <dt>{t('assistance.field.updated_at')}</dt>
        <dd>
          <DateTime iso={r.updated_at} />
        </dd>
        {r.provenance && (
          <>
            <dt>{t('assistance.field.provenance')}</dt>
            <dd>
              <Msg
                k="assistance.detail.provenance"
                values={{ agency: <Code>{r.provenance.sender}</Code>, time: <DateTime iso={r.provenance.received_at} /> }}
              />
              <span class="sub">
                <Code>{r.provenance.envelope_id}</Code>
              </span>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function AssistanceDetail({ params, me }: ScreenProps) {
  const [done, setDone] = useState<string | null>(() => (currentQuery().get('saved') === 'submitted' ? 'submitted' : null));

  const { data: loaded, error, set: setLoaded, reload } = useLoad(
    (signal) =>
      call<AssistanceRequest>('GET', `/api/v1/assistance-requests/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }).then(
        (r) => ({ r, at: Date.now() }),
      ),
    [params.id],
  );

  if (!loaded) {
    return (
      <>
        <h1 tabIndex={-1}>{t('assistance.detail.title')}</h1>
        {error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}
        <p>
          <Link href={listHref({})}>{t('assistance.back')}</Link>
        </p>
      </>
    );
  }
  const { r, at } = loaded;
  const waiting = whoseTurn(r);
  return (
    <>
      <p class="breadcrumb">
        <Link href={listHref({ direction: r.direction })}>{t('assistance.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Text>{r.subject}</Text>
        </h1>
        <div class="refresh">
          <p class="hint" data-updated={at}>
            {t('assistance.detail.updated', { time: formatTime(new Date(at)) })}
          </p>
          <button
            type="button"
            class="secondary small"
            id="assistance-refresh"
            onClick={() => {
              setDone(null);
              reload();
            }}
          >
            {t('assistance.refresh')}
          </button>
        </div>
      </div>
      <p class="request-status">
        <StateBadge state={r.state} /> <DirectionLabel r={r} /> <span>{t(`assistance.type.${r.type}`)}</span>
        {r.urgency === 'urgent' && <span class="badge badge-bad urgent">{t('assistance.urgency.urgent')}</span>}
      </p>
      {error && <ErrorNotice error={error} />}
      {done && (
        <p class="notice notice-ok" role="status">
          {t(`assistance.done.${done}`)}
        </p>
      )}
      <div class="cards">
        <DeadlineCard r={r} fetchedAt={at} />
        <Responses r={r} />
      </div>
      {waiting && (
        <p class="notice" data-waiting={waiting}>
          {t(`assistance.waiting.${waiting}`)}
        </p>
      )}
      {can(me, 'assistance.update') && (
        <Steps
          r={r}
          me={me}
          onChanged={(updated, name) => {
            setLoaded({ r: updated, at: Date.now() });
            setDone(name);
            // The node answers with the whole request; read it again only
            // if the history is missing.
            if (!updated.history) reload();
          }}
          onReload={() => {
            setDone(null);
            reload();
          }}
        />
      )}
      <div class="cards">
        <RequestFacts r={r} me={me} />
        <RecordFacts r={r} />
      </div>
      {r.history && r.history.length > 0 && <History entries={r.history} />}
    </>
  );
}
