// Pieces shared by the assistance screens and the home page: the API's
// shapes of a mutual-assistance request (docs/assistance.md), its
// vocabularies, how its state is shown, and the live count-down to its legal
// deadline (colour, icon AND words; Intl for the times).

import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../app/api';
import { Code } from '../../app/components';
import { formatDateTime, formatDuration, has, locale, t } from '../../app/i18n';
import { NEW_ASSISTANCE } from './paths';

// Stated with every read of requests (recorded in the audit log: their
// texts may hold personal data).
export const PURPOSE = 'mutual-assistance requests (web interface)';

export const TYPES = ['information', 'operational_action', 'technical_assistance', 'training', 'hit_follow_up'] as const;
export type RequestType = (typeof TYPES)[number];

export const URGENCIES = ['urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const STATES = [
  'submitted',
  'received',
  'in_progress',
  'clarification_requested',
  'clarified',
  'answered',
  'refused',
  'closed',
] as const;
export type RequestState = (typeof STATES)[number];

export const REFUSAL_REASONS = ['legal_grounds', 'disproportionate', 'not_available', 'other'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type Transition =
  | 'submit'
  | 'receive'
  | 'start'
  | 'answer'
  | 'refuse'
  | 'request_clarification'
  | 'clarify'
  | 'close';

export type Direction = 'incoming' | 'outgoing';
export const DIRECTIONS: readonly Direction[] = ['incoming', 'outgoing'];

// The requested agency may ask at most this many questions on one request
// (kMaxClarificationRounds in src/assistance/assistance.h).
export const MAX_QUESTIONS = 30;

export interface Deadline {
  rule: 'urgent_direct' | 'urgent_indirect' | 'normal';
  description: string;
  legal_reference: string;
  period_seconds: number;
  deadline_at: string | null;
  warning_at: string | null;
  running: boolean;
  paused: boolean;
  time_left_seconds: number | null;
  warning: boolean;
  overdue: boolean;
  responded_at: string | null;
  responded_in_time: boolean | null;
}

export interface RequestSummary {
  id: string;
  direction: Direction;
  partner: string;
  requester: string;
  requested: string;
  type: RequestType;
  urgency: Urgency;
  directly_accessible: boolean;
  subject: string;
  case_reference: string;
  state: RequestState;
  version: number;
  submitted_at: string;
  received_at: string | null;
  deadline_at: string | null;
  deadline: Deadline;
  updated_at: string;
}

export interface HistoryEntry {
  version: number;
  agency: string;
  transition: Transition;
  at: string;
  actor?: string;
  reason: string;
  note: string;
}

export interface AssistanceRequest extends RequestSummary {
  description: string;
  grounds: string;
  urgency_reason: string;
  alert_id: string | null;
  hit_id: string | null;
  // technical_assistance only: an item of the requested agency's
  // technical-assistance catalogue (GET /api/v1/training/catalogue/{id}).
  catalogue_item_id?: string | null;
  clarification_question: string;
  clarification_requested_at: string | null;
  clarification: string;
  clarified_at: string | null;
  answer: string;
  answered_at: string | null;
  refusal_reason: RefusalReason | null;
  refusal_text: string;
  refused_at: string | null;
  suspended_ms: number;
  close_note: string;
  closed_at: string | null;
  created_by: string;
  created_at: string;
  warned_at: string | null;
  overdue_at: string | null;
  history?: HistoryEntry[];
  provenance?: {
    envelope_id: string;
    sender: string;
    signature: string;
    body_hash: string;
    sent_at: string;
    received_at: string;
  };
}

export interface DueCounts {
  open: number;
  overdue: number;
  warning: number;
}

export interface RequestPage {
  requests: RequestSummary[];
  page: number;
  page_size: number;
  total: number;
  counts: { incoming: DueCounts; outgoing: DueCounts };
}

// The address of the form for a new request about an alert or a hit, or
// for an item of a partner's technical-assistance catalogue, to a partner
// (its fields filled in).
export function newRequestHref(q: {
  alert?: string;
  hit?: string;
  type?: RequestType;
  partner?: string;
  item?: string;
}): string {
  const n = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) n.set(k, v);
  const s = n.toString();
  return s ? `${NEW_ASSISTANCE}?${s}` : NEW_ASSISTANCE;
}

// True while the requested agency owes nothing more (answered, refused or
// closed): the filter "open" of the list is the other states.
export function isOpen(state: RequestState): boolean {
  return state !== 'answered' && state !== 'refused' && state !== 'closed';
}

const STATE_BADGE: Record<RequestState, string> = {
  submitted: 'badge-muted',
  received: 'badge-warn',
  in_progress: 'badge-warn',
  clarification_requested: 'badge-muted',
  clarified: 'badge-warn',
  answered: 'badge-ok',
  refused: 'badge-bad',
  closed: 'badge-muted',
};

export function StateBadge({ state }: { state: RequestState }) {
  return (
    <span class={`badge ${STATE_BADGE[state] ?? 'badge-muted'}`} data-state={state}>
      {t(`assistance.state.${state}`)}
    </span>
  );
}

// "Incoming from FR-DGPN" / "Outgoing to FR-DGPN".
export function DirectionLabel({ r }: { r: Pick<RequestSummary, 'direction' | 'partner'> }) {
  const [before, after] = t(`assistance.direction.${r.direction}.with`).split('{agency}');
  return (
    <span class="direction" data-direction={r.direction}>
      <span aria-hidden="true">{r.direction === 'incoming' ? '↘ ' : '↗ '}</span>
      {before}
      <Code>{r.partner}</Code>
      {after}
    </span>
  );
}

// Who made a transition: a user of this node (by username), this node
// itself (the automatic receipt), or the partner agency (its users are not
// sent across).
export function HistoryActor({ actor }: { actor?: string }) {
  if (!actor) return <span class="sub-inline">{t('assistance.history.partner_actor')}</span>;
  const user = actor.match(/^user:[^:]+:(.+)$/);
  if (user) return <Code>{user[1]}</Code>;
  if (actor === 'system') return <span class="sub-inline">{t('assistance.history.system_actor')}</span>;
  if (actor.startsWith('peer:')) return <span class="sub-inline">{t('assistance.history.partner_actor')}</span>;
  return <Code>{actor}</Code>;
}

// The deadline's rule in words and its legal reference in the current
// language (the node's own wording when the rule is unknown here).
export function ruleText(d: Pick<Deadline, 'rule' | 'description'>): string {
  const key = `assistance.rule.${d.rule}`;
  return has(key) ? t(key) : d.description;
}

export function RuleReference({ d }: { d: Pick<Deadline, 'rule' | 'legal_reference'> }) {
  const key = `assistance.rule.${d.rule}.reference`;
  if (has(key)) return <cite class="legal-ref">{t(key)}</cite>;
  return (
    <cite class="legal-ref" lang="en" data-raw="">
      {d.legal_reference}
    </cite>
  );
}

// A step refused because the request moved on (409: a stale version, a state
// that no longer allows it, or a step that is the other agency's): says so,
// shows the node's words and offers to reload the request.
export function ConflictNotice({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  return (
    <div class="notice notice-error" role="alert" data-conflict="">
      <p>{t('assistance.conflict.text')}</p>
      {error.problem.detail && (
        <p class="server-detail">
          {t('app.error.node_says')}{' '}
          <bdi lang="en" data-raw="">
            {error.problem.detail}
          </bdi>
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={onReload}>
          {t('assistance.conflict.reload')}
        </button>
      </div>
    </div>
  );
}

// ---- the count-down -----------------------------------------------------------

// The current time, re-read every `ms` (one timer per component using it).
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

// What the deadline of a request is, now:
//   not_received  the partner has not received it yet (no deadline yet)
//   on_time       running, less than 75 % of the period elapsed
//   due_soon      running, past 75 % of the period
//   overdue       running, past the deadline
//   paused        suspended while a clarification is awaited
//   in_time/late  responded (answered or refused) before / after the deadline
//   none          closed without a response
export type DeadlineStatus = 'not_received' | 'on_time' | 'due_soon' | 'overdue' | 'paused' | 'in_time' | 'late' | 'none';

export interface Clock {
  // The seconds left at `fetchedAt` (Date.now() when the node answered) are
  // the node's; the count-down runs on from there, so that a browser clock
  // that is off does not move the deadline.
  fetchedAt: number;
  now: number;
}

// Seconds left before the deadline now (negative when overdue); null when no
// deadline runs. Frozen while paused.
export function secondsLeft(d: Deadline, clock: Clock): number | null {
  if (d.time_left_seconds === null) return null;
  if (!d.running) return d.time_left_seconds;
  return d.time_left_seconds - Math.floor((clock.now - clock.fetchedAt) / 1000);
}

export function deadlineStatus(r: Pick<RequestSummary, 'state' | 'deadline'>, clock: Clock): DeadlineStatus {
  const d = r.deadline;
  const left = secondsLeft(d, clock);
  if (d.running && left !== null) {
    if (left <= 0) return 'overdue';
    // Past 75 %: the warning time is as far before the deadline as a quarter
    // of the period.
    const quarter =
      d.deadline_at && d.warning_at ? (Date.parse(d.deadline_at) - Date.parse(d.warning_at)) / 1000 : d.period_seconds / 4;
    if (d.warning || left <= quarter) return 'due_soon';
    return 'on_time';
  }
  if (d.paused) return 'paused';
  if (d.responded_at) return d.responded_in_time === false ? 'late' : 'in_time';
  if (r.state === 'submitted') return 'not_received';
  return 'none';
}

const STATUS_LOOK: Record<DeadlineStatus, { cls: string; icon: string }> = {
  not_received: { cls: 'badge-muted', icon: '…' },
  on_time: { cls: 'badge-ok', icon: '✓' },
  due_soon: { cls: 'badge-warn', icon: '⚠' },
  overdue: { cls: 'badge-bad', icon: '✕' },
  paused: { cls: 'badge-muted', icon: '‖' },
  in_time: { cls: 'badge-ok', icon: '✓' },
  late: { cls: 'badge-bad', icon: '✕' },
  none: { cls: 'badge-muted', icon: '–' },
};

// "in 8 hours", "3 minutes ago", "dans 2 jours", "خلال 8 ساعات": the unit
// that reads best for the distance.
export function relativeTime(seconds: number): string {
  const abs = Math.abs(seconds);
  let value: number;
  let unit: Intl.RelativeTimeFormatUnit;
  if (abs < 60) [value, unit] = [seconds, 'second'];
  else if (abs < 3600) [value, unit] = [Math.round(seconds / 60), 'minute'];
  else if (abs < 2 * 86400) [value, unit] = [Math.round(seconds / 3600), 'hour'];
  else [value, unit] = [Math.round(seconds / 86400), 'day'];
  return new Intl.RelativeTimeFormat(locale(), { numeric: 'always' }).format(Math.trunc(value), unit);
}

interface CountdownProps {
  r: Pick<RequestSummary, 'state' | 'deadline'>;
  clock: Clock;
  // Larger, with the deadline's date (the request's page).
  large?: boolean;
}

// The deadline at a glance: a coloured badge with an icon and its words (on
// time / due soon / overdue / …), the time left or overdue by (down to the
// second under an hour), and when the deadline falls, relative ("in 8
// hours") and as a date.
export function Countdown({ r, clock, large = false }: CountdownProps) {
  const d = r.deadline;
  const status = deadlineStatus(r, clock);
  const left = secondsLeft(d, clock);
  const look = STATUS_LOOK[status];
  let amount: string | null = null;
  if (status === 'on_time' || status === 'due_soon') amount = t('assistance.countdown.left', { duration: formatDuration(left ?? 0) });
  else if (status === 'overdue') amount = t('assistance.countdown.overdue_by', { duration: formatDuration(-(left ?? 0)) });
  else if (status === 'paused' && left !== null) amount = t('assistance.countdown.paused_left', { duration: formatDuration(left) });
  else if (status === 'not_received') amount = t('assistance.countdown.starts', { period: formatDuration(d.period_seconds) });
  const running = status === 'on_time' || status === 'due_soon' || status === 'overdue';
  return (
    <span
      class={`countdown countdown-${status}${large ? ' countdown-large' : ''}`}
      data-deadline-status={status}
      data-left={left ?? ''}
    >
      <span class={`badge ${look.cls}`}>
        <span aria-hidden="true">{look.icon}</span> {t(`assistance.deadline.status.${status}`)}
      </span>
      {amount && <span class="countdown-amount"> {amount}</span>}
      {d.deadline_at && running && left !== null && (
        <span class="sub">
          <time dateTime={d.deadline_at} class="countdown-relative">
            {relativeTime(left)}
          </time>
          {large && <> — {formatDateTime(d.deadline_at)}</>}
        </span>
      )}
    </span>
  );
}
