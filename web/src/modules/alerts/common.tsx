// Pieces shared by the alerts screens (and by screening and hits, which
// show alerts): the API's shapes, the vocabularies, and how a status, a
// category, the warning flags and a partial birth date are shown.

import { Fragment } from 'preact';
import { ApiError, type Me } from '../../app/api';
import { has, locale, t } from '../../app/i18n';

// Stated with every read of alerts (recorded in the audit log).
export const PURPOSE = 'alert management (web interface)';

export const CATEGORIES = [
  'arrest_extradition',
  'discreet_check',
  'specific_check',
  'inquiry_check',
  'locate',
  'missing_person',
  'witness',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const STATUSES = ['draft', 'active', 'suspended', 'withdrawn', 'executed', 'expired'] as const;
export type AlertStatus = (typeof STATUSES)[number];

export const NAME_KINDS = ['primary', 'alias', 'birth', 'previous'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export const GENDERS = ['unknown', 'male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const DOCUMENT_TYPES = [
  'passport',
  'id_card',
  'residence_permit',
  'driving_licence',
  'visa',
  'travel_document',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const WARNINGS = ['armed', 'violent', 'escape_risk', 'suicide_risk', 'public_health', 'terrorism'] as const;
export type Warning = (typeof WARNINGS)[number];

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export interface AlertName {
  full: string;
  given?: string;
  family?: string;
  kind?: NameKind;
}

export interface AlertDocument {
  type: DocumentType;
  number: string;
  country?: string;
  expires_on?: string | null;
}

export interface Warrant {
  reference: string;
  authority: string;
  issued_on: string;
}

export interface AlertContent {
  category: Category;
  names: AlertName[];
  birth_date: string | null;
  birth_place: string;
  nationalities: string[];
  gender: Gender;
  documents: AlertDocument[];
  distinguishing_marks: string[];
  offence: string;
  warrant: Warrant | null;
  action: string;
  warnings: Warning[];
  handling_code: HandlingCode;
  share_with: string[];
}

export interface Alert extends AlertContent {
  id: string;
  owner: string;
  source: string | null;
  status: AlertStatus;
  version: number;
  review_at: string | null;
  review_warned_at: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  activated_by: string | null;
  activated_at: string | null;
  status_reason: string;
  execution: { date: string; place: string } | null;
  read_only: boolean;
}

export interface AlertSummary {
  id: string;
  owner: string;
  status: AlertStatus;
  version: number;
  category: Category;
  primary_name: string;
  birth_date: string | null;
  nationalities: string[];
  warnings: Warning[];
  handling_code: HandlingCode;
  review_at: string | null;
  updated_at: string;
}

export interface AlertPage {
  alerts: AlertSummary[];
  page: number;
  page_size: number;
  total: number;
}

export interface HistoryEntry {
  version: number;
  at: string;
  actor: string;
  change: string;
  fields: string[];
  note: string;
}

// The audit actor the node records for `me` ("user:ID:USERNAME").
export function actorOf(me: Me): string {
  return `user:${me.id}:${me.username}`;
}

const STATUS_BADGE: Record<AlertStatus, string> = {
  draft: 'badge-muted',
  active: 'badge-ok',
  suspended: 'badge-warn',
  withdrawn: 'badge-muted',
  executed: 'badge-muted',
  expired: 'badge-bad',
};

export function StatusBadge({ status }: { status: AlertStatus }) {
  return (
    <span class={`badge ${STATUS_BADGE[status] ?? 'badge-muted'}`} data-status={status}>
      {t(`alerts.status.${status}`)}
    </span>
  );
}

// The warning flags, each a strong red badge (they protect the officer who
// meets the person); nothing when there are none.
export function WarningFlags({ warnings }: { warnings: readonly string[] }) {
  if (!warnings || warnings.length === 0) return null;
  return (
    <ul class="warning-flags" aria-label={t('alerts.field.warnings')}>
      {warnings.map((w) => (
        <li key={w} class="warning-flag" data-warning={w}>
          <span aria-hidden="true">⚠ </span>
          {t(`alerts.warning.${w}`)}
        </li>
      ))}
    </ul>
  );
}

// A partial birth date ("1984", "1984-03", "1984-03-12") through Intl.
export function formatPartialDate(text: string | null): string {
  if (!text) return '';
  const m = text.match(/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/);
  if (!m) return text;
  const d = new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric' };
  if (m[2]) options.month = 'long';
  if (m[3]) options.day = 'numeric';
  return new Intl.DateTimeFormat(locale(), options).format(d);
}

export function PartialDate({ value }: { value: string | null }) {
  if (!value) return null;
  return <time dateTime={value}>{formatPartialDate(value)}</time>;
}

// A day ("2026-01-31") through Intl, without a time zone shift.
export function formatDay(day: string): string {
  const m = day.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return day;
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', dateStyle: 'long' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))),
  );
}

export function Day({ value }: { value: string }) {
  return <time dateTime={value}>{formatDay(value)}</time>;
}

// Country names of ISO codes, in the current language, comma-separated.
export function Countries({ codes }: { codes: readonly string[] }) {
  return (
    <>
      {codes.map((c, i) => (
        <Fragment key={c}>
          {i > 0 && t('alerts.list_separator')}
          {countryLabel(c)}
        </Fragment>
      ))}
    </>
  );
}

export function countryLabel(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

// The message for a member of an alert (field names of the history and of
// problems: "names", "birth_date", "warrant.reference").
export function fieldLabel(field: string): string {
  const key = `alerts.field.${field.replace(/\[\d+\]/g, '')}`;
  return has(key) ? t(key) : field;
}

// The translated message for a problem naming an alert member: the member's
// index is dropped ("names[1].full" -> "alerts.error.names.full").
export function alertFieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError) || error.field !== field) return null;
  const key = `alerts.error.${field.replace(/\[\d+\]/g, '')}`;
  return has(key) ? t(key) : t('app.error.field_invalid');
}

// The element id of the control for an alert member ("names[1].full" ->
// "alert-names-1-full", "birth_date" -> "alert-birth-date").
export function fieldId(field: string): string {
  return `alert-${field.replace(/[[\]._]+/g, '-').replace(/-+$/, '')}`;
}

// A refused change because the record moved on (409: a stale version, or a
// status that no longer allows it): says so, shows the node's words and
// offers to reload the record.
export function ConflictNotice({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  return (
    <div class="notice notice-error" role="alert" data-conflict="">
      <p>{t('alerts.conflict.text')}</p>
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
          {t('alerts.conflict.reload')}
        </button>
      </div>
    </div>
  );
}

// The primary name of an alert (the first name when none is marked).
export function primaryName(a: Pick<Alert, 'names'>): string {
  return (a.names.find((n) => n.kind === 'primary') ?? a.names[0])?.full ?? '';
}

// Free text a person wrote (a place, a reason, an action to take), shown as
// written in its own language and direction, line breaks kept.
export function Text({ children }: { children: string }) {
  return (
    <bdi class="text" dir="auto" data-raw="">
      {children}
    </bdi>
  );
}
