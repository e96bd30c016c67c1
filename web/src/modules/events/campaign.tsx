// One accreditation campaign: its progress (read again every second while
// screening), its counts, and the review queue — each applicant with a
// match, cleared, referred or refused with a reason (once: 409 after).

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Actor, Code, DateTime, ErrorNotice, Field, Link, Msg, Name, Pages } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { Progress, FormError } from '../groups/common';
import { DECISIONS, PURPOSE, REVIEW_ACTIONS, usePoll, type Applicant, type Campaign } from './common';
import { EVENT } from './paths';

const POLL_MS = 1000;
const PAGE_SIZE = 50;

function Review({ campaign, applicant, onDone }: { campaign: Campaign; applicant: Applicant; onDone: (a: Applicant) => void }) {
  const [decision, setDecision] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const base = `review-${applicant.item}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const a = await call<Applicant>('POST', `/api/v1/campaigns/${encodeURIComponent(campaign.id)}/applicants/${applicant.item}/review`, {
        body: { decision, reason },
        purpose: PURPOSE,
      });
      onDone(a);
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && (x.field === 'reason' || x.field === 'decision')) {
        requestAnimationFrame(() => document.getElementById(`${base}-${x.field}`)?.focus());
      }
    }
  };
  const err = (f: string) => (error instanceof ApiError && error.field === f ? t(`events.error.${f}`) : null);
  return (
    <form class="review-form" onSubmit={submit} noValidate aria-labelledby={`applicant-${applicant.item}`}>
      <FormError error={error} />
      <fieldset class={err('decision') ? 'group field-invalid' : 'group'} id={`${base}-decision`} tabIndex={-1} aria-describedby={err('decision') ? `${base}-decision-error` : undefined}>
        <legend>{t('events.field.decision')}</legend>
        {err('decision') && (
          <p class="field-error" id={`${base}-decision-error`}>
            {err('decision')}
          </p>
        )}
        {REVIEW_ACTIONS.map((d) => (
          <div class="field-check" key={d}>
            <input type="radio" name={`${base}-decision`} id={`${base}-${d}`} value={d} checked={decision === d} onChange={() => setDecision(d)} />
            <label for={`${base}-${d}`}>{t(`events.review.${d}`)}</label>
          </div>
        ))}
      </fieldset>
      <Field id={`${base}-reason`} label={t('events.field.reason')} error={err('reason')}>
        {(aria) => <textarea {...aria} dir="auto" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <div class="actions">
        <button type="submit">{t('events.review.submit')}</button>
      </div>
    </form>
  );
}

export function CampaignDetail({ params, me }: ScreenProps) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [decision, setDecision] = useState('pending');
  const [page, setPage] = useState(1);
  const [done, setDone] = useState<Applicant | null>(null);
  const [round, setRound] = useState(0);
  const screening = !campaign || campaign.state === 'screening';
  usePoll(
    async () => {
      try {
        setCampaign(await call<Campaign>('GET', `/api/v1/campaigns/${encodeURIComponent(params.id)}`));
      } catch (x) {
        setError(x);
      }
    },
    POLL_MS,
    [params.id, round],
    screening && !error,
  );
  const matched = campaign?.counts.matched ?? 0;
  const state = campaign?.state;
  // The review queue, once the campaign is known; a failed load's error
  // goes once a later one succeeds.
  const queueLoad = useLoad(
    campaign
      ? (signal) =>
          call<{ applicants: Applicant[]; total: number; page: number; page_size: number }>(
            'GET',
            `/api/v1/campaigns/${encodeURIComponent(params.id)}/applicants`,
            { query: { decision: decision || undefined, page, page_size: PAGE_SIZE }, purpose: PURPOSE, signal },
          )
      : null,
    [params.id, decision, page, matched, state, round],
  );
  const queue = queueLoad.data;
  const queueError = queueLoad.loading ? null : queueLoad.error;

  if (error) return <ErrorNotice error={error} />;
  if (!campaign) return <p role="status">{t('app.loading')}</p>;
  const c = campaign.counts;
  const review = can(me, 'campaign.review');
  return (
    <>
      <p class="breadcrumb">
        <Link href={pathFor(EVENT, { id: campaign.event_id })}>{t('events.campaign.back')}</Link>
      </p>
      <h1 tabIndex={-1}>
        <Text>{campaign.name}</Text>
      </h1>
      <section class="card campaign" aria-labelledby="campaign-progress-title" data-state={campaign.state}>
        <h2 id="campaign-progress-title">{t(`events.campaign.state.${campaign.state}`)}</h2>
        <p class="progress-label" id="campaign-progress-label">
          {t('events.campaign.screened', { screened: formatNumber(c.screened), count: c.total })}
        </p>
        <Progress value={campaign.progress * 100} label={t('events.campaign.screened', { screened: formatNumber(c.screened), count: c.total })} />
        <dl class="due-counts campaign-counts">
          {(['total', 'screened', 'matched', 'pending', 'cleared', 'referred', 'refused'] as const).map((k) => (
            <div key={k} data-count={k}>
              <dt>{t(`events.count.${k}`)}</dt>
              <dd class="num">{formatNumber(c[k])}</dd>
            </div>
          ))}
        </dl>
        <p class="sub">
          <Msg k="events.campaign.started" values={{ by: <Actor actor={campaign.created_by} /> }} /> <DateTime iso={campaign.created_at} />
        </p>
      </section>
      {done && (
        <p class="notice notice-ok" role="status">
          <Msg k="events.review.done" values={{ name: <Name>{done.input_name}</Name>, decision: t(`events.decision.${done.decision}`) }} />
        </p>
      )}
      <section aria-labelledby="queue-title" class="queue">
        <h2 id="queue-title">{t('events.queue.title')}</h2>
        <Field id="queue-decision" label={t('events.field.decision')}>
          {(aria) => (
            <select
              {...aria}
              value={decision}
              onChange={(e) => {
                setDecision(e.currentTarget.value);
                setPage(1);
              }}
            >
              <option value="">{t('events.queue.all')}</option>
              {DECISIONS.map((d) => (
                <option value={d} key={d}>
                  {t(`events.decision.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNotice error={queueError} />
        {queue &&
          (queue.applicants.length === 0 ? (
            <p>{t('events.queue.empty')}</p>
          ) : (
            <ol class="plain applicants">
              {queue.applicants.map((a) => (
                <li key={a.item} class="card applicant" data-item={a.item} data-decision={a.decision}>
                  <h3 id={`applicant-${a.item}`}>
                    <Name>{a.input_name}</Name> <Code>{a.input_id}</Code>
                  </h3>
                  <p>
                    {t('events.queue.best', { score: formatNumber(a.score, { maximumFractionDigits: 2 }) })}{' '}
                    <Link href={pathFor(ALERT, { id: a.alert_id })}>{t('events.queue.alert')}</Link> ·{' '}
                    <span class="badge badge-muted">{t(`events.decision.${a.decision}`)}</span>
                  </p>
                  {a.decision !== 'pending' && (
                    <p class="sub">
                      <Actor actor={a.reviewer} /> — <Text>{a.reason}</Text>
                      {a.decided_at && (
                        <>
                          {' '}
                          · <DateTime iso={a.decided_at} />
                        </>
                      )}
                    </p>
                  )}
                  {review && a.decision === 'pending' && (
                    <Review
                      campaign={campaign}
                      applicant={a}
                      onDone={(x) => {
                        setDone(x);
                        setRound((r) => r + 1);
                        call<Campaign>('GET', `/api/v1/campaigns/${encodeURIComponent(params.id)}`).then(setCampaign, () => {});
                      }}
                    />
                  )}
                </li>
              ))}
            </ol>
          ))}
        {queue && <Pages page={queue.page} pageSize={queue.page_size} total={queue.total} onPage={setPage} />}
      </section>
    </>
  );
}
