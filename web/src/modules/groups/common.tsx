// Pieces shared by the cooperation screens (src/groups on the node:
// working groups, the joint action plan and its road map, joint operations):
// the API's shapes (docs/groups.md), the vocabularies, typed agency codes,
// field errors for list members ("tasks[2].due_at"), progress bars and
// state badges (colour AND words).

import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, Link, Msg } from '../../app/components';
import { formatNumber, has, lang, locale, t } from '../../app/i18n';
import { useLoad } from '../../app/use_load';
import { GROUPS, OPERATIONS, PLANS } from './paths';

// Stated with every request (recorded in the audit log: members and
// liaison officers are named).
export const PURPOSE = 'joint cooperation: groups, plan, operations (web interface)';

export const DOMAINS = [
  'organised_crime',
  'terrorism',
  'drug_trafficking',
  'human_trafficking',
  'cybercrime',
  'wanted_persons',
  'major_events',
] as const;
export const GROUP_STATES = ['active', 'closed'] as const;
export const MEMBER_ROLES = ['lead', 'member', 'liaison'] as const;
export const LINK_KINDS = ['alert', 'thread', 'assistance_request', 'event'] as const;
export const TASK_STATES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const ITEM_STATES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export const OPERATION_STATES = ['planned', 'active', 'completed', 'cancelled'] as const;

export interface Owned {
  id: string;
  owner: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Member {
  agency: string;
  reference: string;
  name: string;
  role: string;
}
export interface CaseLink {
  kind: string;
  ref: string;
  note: string;
}
export interface Task {
  id?: string;
  title: string;
  owner_agency: string;
  assignee: string;
  due_at: string | null;
  state: string;
}
export interface WorkingGroup extends Owned {
  name: string;
  domain: string;
  description: string;
  state: string;
  agencies: string[];
  members: Member[];
  case_file: CaseLink[];
  tasks: Task[];
}

export interface Plan extends Owned {
  title: string;
  description: string;
  agencies: string[];
  starts_at: string | null;
  ends_at: string | null;
  state: string;
}
export interface Milestone {
  id?: string;
  title: string;
  due_at: string | null;
  state: string;
  progress: number;
  owner?: string;
  late?: boolean;
}
export interface Indicator {
  name: string;
  unit: string;
  target: number;
  measured: number;
  measured_at: string | null;
}
export interface PlanItem extends Owned {
  kind: 'objective' | 'action';
  plan_id: string;
  objective_id?: string;
  title: string;
  description: string;
  due_at: string | null;
  state: string;
  progress: number;
  own_progress?: number;
  late?: boolean;
  milestones?: Milestone[];
  indicators: Indicator[];
}
export interface RoadmapObjective extends PlanItem {
  actions: PlanItem[];
}
export interface LateItem {
  kind: 'objective' | 'action' | 'milestone';
  id: string;
  title: string;
  owner: string;
  due_at: string;
  days_late: number;
}
export interface Roadmap {
  plan: Plan;
  generated_at: string;
  progress: number;
  counts: { late: number };
  late: LateItem[];
  objectives: RoadmapObjective[];
  unassigned_actions: PlanItem[];
}

export interface Operation extends Owned {
  code_name: string;
  description: string;
  starts_at: string;
  ends_at: string;
  area: string;
  agencies: string[];
  units: { agency: string; name: string }[];
  liaison_officers: { agency: string; reference: string; name: string; posted_with: string }[];
  group_id: string | null;
  state: string;
  report: { summary: string; results: string; lessons: string; submitted_at?: string } | null;
}

// Agency codes typed by hand ("FR-DGPN, ES-CNP"), when the partner list
// (GET /api/v1/partners) cannot be read or is empty.
export function parseCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

// True when the node's problem names `field` or one of its members
// ("agencies" matches "agencies[1]", "tasks" matches "tasks[0].title").
export function errorIn(error: unknown, field: string): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const f = error.field;
  return f === field || f.startsWith(`${field}[`) || f.startsWith(`${field}.`);
}

// The translated message for a field the node named (or one of its
// members); null when the error is about something else. Looks up
// "<prefix>.error.<field>" then a generic sentence; the node's own words
// are shown by the form's ErrorNotice.
export function memberError(error: unknown, prefix: string, field: string): string | null {
  if (!errorIn(error, field)) return null;
  const key = `${prefix}.error.${field}`;
  return has(key) ? t(key) : t('app.error.field_invalid');
}

// A form's failure: when the node named a field, a notice that does not
// take the focus (the form moves it to that field) with the node's words;
// otherwise the usual error notice (which takes the focus).
export function FormError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.field) {
    return (
      <div class="notice notice-error" role="alert">
        <p>{t('groups.fix')}</p>
        {error.problem.detail && (
          <p class="server-detail">
            {t('app.error.node_says')}{' '}
            <bdi lang="en" data-raw="">
              {error.problem.detail}
            </bdi>
          </p>
        )}
      </div>
    );
  }
  return <ErrorNotice error={error} />;
}

// A date (day) from an RFC 3339 value or a day, in the current locale.
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

// The day part of a stored time ("2026-06-30T23:59:59Z" → "2026-06-30"), for a date input.
export function dayOf(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

// A progress bar with its value in words (percent through Intl); grows from
// the line's start, so from the right in Arabic.
// `labelledBy` names an element holding what the progress is of (its
// title), read before the value.
export function Progress({ value, label, labelledBy }: { value: number; label?: string; labelledBy?: string }) {
  const v = Math.max(0, Math.min(100, value));
  const id = useId();
  const text = formatNumber(v / 100, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <span class="progress" data-progress={v}>
      <span
        class="bar"
        role="img"
        aria-label={labelledBy ? undefined : label ?? t('groups.progress', { value: text })}
        aria-labelledby={labelledBy ? `${labelledBy} ${id}` : undefined}
      >
        <span class="bar-fill" style={{ '--size': `${v}%` }} />
      </span>{' '}
      <span class="num" id={id}>
        {text}
      </span>
    </span>
  );
}

const BADGE: Record<string, string> = {
  active: 'badge-ok',
  open: 'badge-warn',
  planned: 'badge-muted',
  in_progress: 'badge-warn',
  done: 'badge-ok',
  completed: 'badge-ok',
  closed: 'badge-muted',
  cancelled: 'badge-muted',
};

// A state in colour and words ("groups.state.<state>").
export function State({ state }: { state: string }) {
  const key = `groups.state.${state}`;
  return (
    <span class={`badge ${BADGE[state] ?? 'badge-muted'}`} data-state={state}>
      {has(key) ? t(key) : state}
    </span>
  );
}

// Late: a red badge with an icon AND words, never colour alone.
export function LateFlag({ days }: { days?: number }) {
  return (
    <span class="badge badge-bad late-flag" data-late="">
      <span aria-hidden="true">⚠ </span>
      {days !== undefined ? t('groups.late.days', { count: days }) : t('groups.late')}
    </span>
  );
}

export interface Partner {
  agency: string;
  country: string;
  names: { en?: string; fr?: string; ar?: string };
}

// The registered partner agencies (GET /api/v1/partners, action
// partner.list); null while loading or when they cannot be read.
export function usePartners(allowed: boolean): Partner[] | null {
  const { data } = useLoad(
    allowed ? (signal) => call<{ partners: Partner[] }>('GET', '/api/v1/partners', { signal }).then((r) => r.partners) : null,
    [allowed],
  );
  return data;
}

// Choosing partner agencies: a check box per registered partner (its name
// in the current language and its code) when the list can be read and is
// not empty, else a text field for typed codes. `value` is the codes joined
// by ", " either way; `id` is the text field's id or the group's.
export function AgencyChooser({
  id,
  label,
  value,
  onChange,
  error,
  partners,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (codes: string) => void;
  error: string | null;
  partners: Partner[] | null;
}) {
  const chosen = parseCodes(value);
  if (partners && partners.length > 0) {
    const toggle = (code: string, on: boolean) =>
      onChange((on ? [...chosen.filter((c) => c !== code), code] : chosen.filter((c) => c !== code)).join(', '));
    return (
      <fieldset class={error ? 'group field-invalid agency-chooser' : 'group agency-chooser'} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>{label}</legend>
        {error && (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
        {partners.map((p) => (
          <div class="field-check" key={p.agency}>
            <input type="checkbox" id={`${id}-${p.agency}`} value={p.agency} checked={chosen.includes(p.agency)} onChange={(e) => toggle(p.agency, e.currentTarget.checked)} />
            <label for={`${id}-${p.agency}`}>
              <bdi data-raw="">{p.names[lang()] || p.names.en || p.agency}</bdi> <Code>{p.agency}</Code>
            </label>
          </div>
        ))}
      </fieldset>
    );
  }
  return (
    <Field id={id} label={label} hint={<CodesHint />} error={error}>
      {(aria) => (
        <input
          {...aria}
          type="text"
          dir="ltr"
          autoComplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value.toUpperCase())}
        />
      )}
    </Field>
  );
}

// The hint of a field of agency codes, with an example.
export function CodesHint() {
  return <Msg k="groups.hint.codes" values={{ example: <Code>FR-DGPN, ES-CNP</Code> }} />;
}

// A list of agency codes.
export function Agencies({ codes }: { codes: string[] }) {
  return (
    <span class="codes">
      {codes.map((c, i) => (
        <span key={c}>
          {i > 0 && ' '}
          <Code>{c}</Code>
        </span>
      ))}
    </span>
  );
}

// The tabs between the three cooperation lists.
export function CooperationTabs({ current }: { current: 'groups' | 'plans' | 'operations' }) {
  const tabs: [typeof current, string][] = [
    ['groups', GROUPS],
    ['plans', PLANS],
    ['operations', OPERATIONS],
  ];
  return (
    <nav class="tabs" aria-label={t('groups.tabs')}>
      <ul>
        {tabs.map(([k, href]) => (
          <li key={k}>
            <Link href={href} aria-current={k === current ? 'page' : undefined}>
              {t(`groups.tab.${k}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="card coop-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
