// Pieces shared by the training screens (src/training on the node,
// docs/training.md): the API's shapes, the vocabularies, the purpose sent
// with reads of participants, field errors for list members
// ("languages[1]"), state badges (colour AND words), and who owns a record
// (ours, or a partner's read-only copy).

import { ApiError } from '../../app/api';
import { Code, ErrorNotice } from '../../app/components';
import { has, locale, t } from '../../app/i18n';

// Stated with every request (participants are personal data; the node
// records the purpose with each read in the audit log).
export const PURPOSE = 'training: programmes, sessions and enrolments (web interface)';

export const TOPICS = [
  'organised_crime',
  'terrorism',
  'drug_trafficking',
  'human_trafficking',
  'cybercrime',
  'forensics',
  'wanted_persons',
  'major_events',
  'border_security',
  'other',
] as const;
export const DOMAINS = [
  'forensics',
  'cybercrime',
  'explosives',
  'dog_units',
  'ballistics',
  'dna',
  'digital_forensics',
  'surveillance',
  'training',
  'other',
] as const;
export const LANGUAGES = ['ar', 'fr', 'en', 'es', 'pt'] as const;
export const SESSION_STATES = ['planned', 'open', 'closed', 'held', 'cancelled'] as const;

export interface Owned {
  id: string;
  owner: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface Programme extends Owned {
  title: string;
  topic: string;
  description: string;
  languages: string[];
  share_with: string[];
}
export interface Session extends Owned {
  programme_id: string;
  starts_at: string;
  ends_at: string;
  place: string;
  capacity: number;
  state: string;
  confirmed?: number;
}
export interface Participant {
  name: string;
  rank?: string;
  unit?: string;
  email?: string;
}
export interface Enrolment {
  id: string;
  session_id: string;
  programme_id: string;
  provider: string;
  agency: string;
  session_starts_at: string;
  participant: Participant;
  withdrawn: boolean;
  version: number;
  status: 'pending' | 'confirmed' | 'refused' | 'withdrawn';
  status_reason: string;
  attended: boolean | null;
  completion: 'completed' | 'not_completed' | null;
  certificate_number: string;
  record_version: number;
}
export interface Counts {
  pending: number;
  confirmed: number;
  refused: number;
  withdrawn: number;
}
export interface Provenance {
  envelope_id: string;
  sender: string;
  signature: string;
  body_hash: string;
  sent_at: string;
  received_at: string;
}
export interface CatalogueItem extends Owned {
  domain: string;
  title: string;
  description: string;
  contact_unit: string;
  languages: string[];
  share_with: string[];
  active: boolean;
  provenance: Provenance | null;
}

// Agency codes typed by hand ("FR-DGPN, ES-CNP").
export function parseCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

// True when the node's problem names `field` or one of its members
// ("languages" matches "languages[1]").
export function errorIn(error: unknown, field: string): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const f = error.field;
  return f === field || f.startsWith(`${field}[`) || f.startsWith(`${field}.`);
}

// The translated message for a field the node named (or one of its
// members), or null: "training.error.<field>", else a generic sentence.
export function memberError(error: unknown, field: string): string | null {
  if (!errorIn(error, field)) return null;
  const key = `training.error.${field}`;
  return has(key) ? t(key) : t('app.error.field_invalid');
}

// Moves the focus to the control of the field the node named, when the
// form has one; `ids` maps member names to control ids.
export function focusMember(error: unknown, ids: Record<string, string>): void {
  for (const [field, id] of Object.entries(ids)) {
    if (errorIn(error, field)) {
      requestAnimationFrame(() => document.getElementById(id)?.focus());
      return;
    }
  }
}

// A form's failure: when the node named a field, a notice that leaves the
// focus to the field, with the node's words; otherwise the usual notice.
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.field) {
    return (
      <div class="notice notice-error" role="alert">
        <p>{t('training.fix')}</p>
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

const BADGE: Record<string, string> = {
  planned: 'badge-muted',
  open: 'badge-ok',
  closed: 'badge-muted',
  held: 'badge-ok',
  cancelled: 'badge-bad',
  pending: 'badge-warn',
  confirmed: 'badge-ok',
  refused: 'badge-bad',
  withdrawn: 'badge-muted',
};

// A session state or an enrolment status in colour and words.
export function State({ state }: { state: string }) {
  const key = `training.state.${state}`;
  return (
    <span class={`badge ${BADGE[state] ?? 'badge-muted'}`} data-state={state}>
      {has(key) ? t(key) : state}
    </span>
  );
}

// Who owns a record: ours, or a partner's read-only copy (with its code).
export function Owner({ owner, self }: { owner: string; self: string }) {
  if (owner === self) return <span class="badge badge-ok" data-owner="self">{t('training.ours')}</span>;
  return (
    <span class="owner" data-owner={owner}>
      <span class="badge badge-muted">{t('training.partner_copy')}</span> <Code>{owner}</Code>
    </span>
  );
}

// The languages of a programme or item, named in the current language.
export function Languages({ codes }: { codes: string[] }) {
  let names: string[];
  try {
    const dn = new Intl.DisplayNames([locale()], { type: 'language' });
    names = codes.map((c) => dn.of(c) ?? c);
  } catch {
    names = codes;
  }
  try {
    return <>{new Intl.ListFormat(locale(), { type: 'conjunction' }).format(names)}</>;
  } catch {
    return <>{names.join(', ')}</>;
  }
}

// A date and time for a datetime-local input from an RFC 3339 value (local time).
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// An RFC 3339 instant from a datetime-local input's value, or '' when empty.
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
