// Pieces shared by the messages screens and the home page: the API's shapes
// of threads and messages (docs/exchange.md), the handling and evaluation
// codes with their meaning in words, delivery states, sizes and hashes,
// who the partner agencies and internal units are, and the recipients
// picker of the compose and forward forms.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call, type Agency, type Me } from '../../app/api';
import { Code, CopyButton, Link, Msg } from '../../app/components';
import { formatNumber, has, t } from '../../app/i18n';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { AgencyName } from '../../app/shell';
import { useLoad } from '../../app/use_load';
import type { PeerHealth } from '../admin/partners';
import { ALERT } from '../alerts/paths';
import { ASSISTANCE_REQUEST } from '../assistance/paths';

// Stated with every read of messages (links.ts).
export { PURPOSE } from './links';

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const RELIABILITIES = ['A', 'B', 'C', 'X'] as const;
export type Reliability = (typeof RELIABILITIES)[number];

export const ACCURACIES = [1, 2, 3, 4] as const;

export const LINK_TYPES = ['alert', 'assistance_request', 'working_group', 'event'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'read', 'acknowledged'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Recipient {
  type: 'agency' | 'unit';
  code: string;
}

export interface MessageLink {
  type: LinkType;
  id: string;
}

export interface Handling {
  code: HandlingCode;
  text: string;
  marking: string;
}

export interface Evaluation {
  source_reliability: Reliability;
  information_accuracy: number;
  meaning: string;
}

export interface Delivery {
  type: 'agency' | 'unit';
  code: string;
  state: DeliveryState;
  delivered_at: string | null;
  read_at: string | null;
  read_by: string;
  acknowledged_at: string | null;
  acknowledged_by: string;
  note: string;
}

export interface AttachmentView {
  hash: string;
  name: string;
  media_type: string;
  size: number;
  // False while a partner's bytes are on their way.
  available?: boolean;
}

export interface Sender {
  agency: string;
  username: string;
  display_name: string;
}

export interface MessageView {
  id: string;
  thread_id: string;
  in_reply_to: string | null;
  origin: string;
  content_origin: string;
  sender: Sender;
  text: string;
  handling: Handling;
  evaluation: Evaluation;
  ack_requested: boolean;
  forwarded_from: {
    message_id: string;
    thread_id: string;
    origin: string;
    sender_name: string;
    sent_at: string;
    note: string;
  } | null;
  recipients: Recipient[];
  attachments: AttachmentView[];
  sent_at: string;
  received_at: string | null;
  read: boolean;
  deliveries: Delivery[];
  provenance: { envelope_id: string; sender: string; signature: string; body_hash: string } | null;
}

export interface ThreadSummary {
  id: string;
  subject: string;
  origin: string;
  link: MessageLink | null;
  created_at: string;
  last_message_at: string;
  message_count: number;
  agencies: string[];
  handling_codes: HandlingCode[];
  markings: string[];
  unread: number;
}

export interface ThreadPage {
  threads: ThreadSummary[];
  page: number;
  page_size: number;
  total: number;
}

export interface ThreadView {
  thread: ThreadSummary;
  messages: MessageView[];
}

export interface SearchHit {
  message_id: string;
  thread_id: string;
  subject: string;
  origin: string;
  sender: Sender;
  sent_at: string;
  handling: Handling;
  evaluation: Evaluation;
  excerpt: string;
  attachment_names: string[];
}

export interface SearchPage {
  results: SearchHit[];
  page: number;
  page_size: number;
  total: number;
}

export interface Unit {
  code: string;
  name: string;
  members: string[];
}

// ---- codes in words ----------------------------------------------------------

const HANDLING_BADGE: Record<HandlingCode, string> = {
  H0: 'badge-muted',
  H1: 'badge-warn',
  H2: 'badge-bad',
  H3: 'badge-warn',
};

// A handling code with its rule in a few words ("H2 · not to be passed on").
export function HandlingBadge({ code }: { code: HandlingCode }) {
  return (
    <span class={`badge handling ${HANDLING_BADGE[code]}`} data-handling={code}>
      <bdi dir="ltr">{code}</bdi> · {t(`messages.handling.${code}.short`)}
    </span>
  );
}

// What a handling code asks of the reader, in full; H3 with the sender's
// restrictions as written. H1 is the judicial-proceedings marking.
export function HandlingNotice({ handling, forwardable }: { handling: Handling; forwardable?: boolean }) {
  const { code } = handling;
  return (
    <div class={`handling-notice handling-${code}`} role="note" data-handling={code}>
      <p>
        <HandlingBadge code={code} /> <strong>{t(`messages.handling.${code}.rule`)}</strong>
      </p>
      <p class="hint">{t(`messages.handling.${code}.explain`)}</p>
      {code === 'H3' && handling.text && (
        <p class="h3-text">
          {t('messages.handling.H3.restrictions')}{' '}
          <bdi class="text" dir="auto" data-raw="">
            {handling.text}
          </bdi>
        </p>
      )}
      {code === 'H2' && forwardable === false && <p class="hint">{t('messages.handling.H2.not_here')}</p>}
    </div>
  );
}

// The H1 marking around a message's content: before it and after it.
export function H1Banner({ end }: { end?: boolean }) {
  return (
    <p class={`h1-banner${end ? ' h1-banner-end' : ''}`} role="note" data-marking="H1">
      <span aria-hidden="true">⚠ </span>
      {t(end ? 'messages.h1.end' : 'messages.h1.banner')}
    </p>
  );
}

// The evaluation code ("B2") with what its letter and digit mean.
export function EvaluationView({ evaluation, compact }: { evaluation: Evaluation; compact?: boolean }) {
  const r = evaluation.source_reliability;
  const a = evaluation.information_accuracy;
  const code = `${r}${a}`;
  if (compact) {
    return (
      <span class="badge badge-muted evaluation" data-evaluation={code} title={`${t(`messages.reliability.${r}`)} — ${t(`messages.accuracy.${a}`)}`}>
        <bdi dir="ltr">{code}</bdi>
      </span>
    );
  }
  return (
    <dl class="evaluation facts" data-evaluation={code}>
      <dt>{t('messages.field.source_reliability')}</dt>
      <dd data-field="source_reliability">
        <strong>
          <bdi dir="ltr">{r}</bdi>
        </strong>{' '}
        — {t(`messages.reliability.${r}`)}
      </dd>
      <dt>{t('messages.field.information_accuracy')}</dt>
      <dd data-field="information_accuracy">
        <strong>
          <bdi dir="ltr">{String(a)}</bdi>
        </strong>{' '}
        — {has(`messages.accuracy.${a}`) ? t(`messages.accuracy.${a}`) : ''}
      </dd>
    </dl>
  );
}

const DELIVERY_BADGE: Record<DeliveryState, { cls: string; icon: string }> = {
  pending: { cls: 'badge-muted', icon: '…' },
  delivered: { cls: 'badge-warn', icon: '✓' },
  read: { cls: 'badge-ok', icon: '✓✓' },
  acknowledged: { cls: 'badge-ok', icon: '✔' },
};

export function DeliveryBadge({ state }: { state: DeliveryState }) {
  const { cls, icon } = DELIVERY_BADGE[state] ?? DELIVERY_BADGE.pending;
  return (
    <span class={`badge delivery ${cls}`} data-state={state}>
      <span aria-hidden="true">{icon} </span>
      {t(`messages.delivery.${state}`)}
    </span>
  );
}

// A size in bytes for people: "812 bytes", "12.4 kB", "3.1 MB".
export function formatBytes(n: number): string {
  if (n < 1000) return formatNumber(n, { style: 'unit', unit: 'byte', unitDisplay: 'long' });
  if (n < 1_000_000) {
    return formatNumber(n / 1000, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 });
  }
  return formatNumber(n / 1_000_000, { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 });
}

// A BLAKE2b-256 value, whole (it is what a person compares), with a button
// copying it.
export function Hash({ hash }: { hash: string }) {
  return (
    <span class="hash" data-hash={hash}>
      <span class="hash-algorithm">
        <Msg k="messages.attachment.hash" values={{ algorithm: <Code>BLAKE2b-256</Code> }} />
      </span>{' '}
      <span class="hash-value">
        <Code>{hash}</Code>
      </span>{' '}
      <CopyButton text={hash} label={t('messages.attachment.copy_hash')} />
    </span>
  );
}

// The record a thread is about, linked when this interface shows that kind.
export function LinkView({ link }: { link: MessageLink }) {
  const href =
    link.type === 'alert'
      ? pathFor(ALERT, { id: link.id })
      : link.type === 'assistance_request'
        ? pathFor(ASSISTANCE_REQUEST, { id: link.id })
        : null;
  return (
    <span class="thread-link" data-link-type={link.type}>
      {t(`messages.link.${link.type}`)}{' '}
      {href ? (
        <Link href={href}>
          <Code>{link.id}</Code>
        </Link>
      ) : (
        <Code>{link.id}</Code>
      )}
    </span>
  );
}

// ---- who can be written to ---------------------------------------------------

export interface Directory {
  // The names of this agency and of the registered partners, when known.
  names: Record<string, Agency['names']>;
  // The registered partner agencies, when the user may read them
  // (federation.read); null: agencies are typed as codes.
  partners: string[] | null;
  // This agency's internal units (message.unit_list).
  units: Unit[];
  loading: boolean;
}

// The partner agencies and units the user may address, read once.
export function useDirectory(me: Me, agency: Agency): Directory {
  const readPeers = can(me, 'federation.read');
  const readUnits = can(me, 'message.unit_list');
  const [initial] = useState<Directory>(() => ({
    names: { [agency.code]: agency.names },
    partners: null,
    units: [],
    loading: readPeers || readUnits,
  }));
  // Either read failing leaves its part out: the load itself never fails.
  const { data } = useLoad<Directory>(
    (signal) => {
      const peers = readPeers
        ? call<{ peers: PeerHealth[] }>('GET', '/api/v1/federation/peers', { signal }).then(
            (r) => r.peers.map((h) => h.peer).filter((p) => p.registered),
            () => null,
          )
        : Promise.resolve(null);
      const units = readUnits
        ? call<{ units: Unit[] }>('GET', '/api/v1/units', { signal }).then(
            (r) => r.units,
            () => [] as Unit[],
          )
        : Promise.resolve([] as Unit[]);
      return Promise.all([peers, units]).then(([p, u]) => {
        const names: Record<string, Agency['names']> = { [agency.code]: agency.names };
        for (const peer of p ?? []) if (peer.names) names[peer.agency] = peer.names;
        return { names, partners: p ? p.map((x) => x.agency) : null, units: u, loading: false };
      });
    },
    [readPeers, readUnits, agency.code],
  );
  return data ?? initial;
}

// An agency: its name when known, and its code.
export function AgencyLabel({ code, dir }: { code: string; dir?: Pick<Directory, 'names'> }) {
  const names = dir?.names[code];
  return (
    <span class="agency" data-agency={code}>
      {names && (names.en || names.fr || names.ar) ? (
        <>
          <AgencyName agency={{ code, names }} /> <Code>{code}</Code>
        </>
      ) : (
        <Code>{code}</Code>
      )}
    </span>
  );
}

// A recipient: an agency, or a unit of this agency by name and code.
export function RecipientLabel({ r, dir }: { r: Recipient; dir?: Pick<Directory, 'names' | 'units'> }) {
  if (r.type === 'agency') return <AgencyLabel code={r.code} dir={dir} />;
  const unit = dir?.units.find((u) => u.code === r.code);
  return (
    <span class="unit" data-unit={r.code}>
      {t('messages.recipient.unit')}{' '}
      {unit && (
        <>
          <bdi data-raw="">{unit.name}</bdi>{' '}
        </>
      )}
      <Code>{r.code}</Code>
    </span>
  );
}

// Agency codes typed in one box: capitals, separated by commas or spaces.
export function parseCodes(text: string): string[] {
  return [...new Set(text.toUpperCase().split(/[\s,;]+/).filter(Boolean))];
}

interface PickerProps {
  // Prefix of the controls' ids ("messages" → "messages-recipients").
  idPrefix: string;
  dir: Directory;
  // The agencies that may be chosen (a reply: the thread's), or null for the
  // directory's partners (or typed codes when they are not known).
  agencies: string[] | null;
  ownAgency: string;
  // The chosen agencies and units, and the typed codes.
  chosenAgencies: string[];
  chosenUnits: string[];
  typed: string;
  onAgencies: (codes: string[]) => void;
  onUnits: (codes: string[]) => void;
  onTyped: (text: string) => void;
  error: ComponentChildren | null;
  hint?: string;
}

// The recipients of a message or a forward: partner agencies (checkboxes
// when they are known, typed codes otherwise) and this agency's units.
export function RecipientsPicker(p: PickerProps) {
  const group = `${p.idPrefix}-recipients`;
  const choices = (p.agencies ?? p.dir.partners)?.filter((c) => c !== p.ownAgency) ?? null;
  const toggle = (list: string[], code: string, on: boolean) =>
    on ? [...list.filter((c) => c !== code), code] : list.filter((c) => c !== code);
  const described = [p.hint ? `${group}-hint` : '', p.error ? `${group}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset
      class={p.error ? 'group recipients field-invalid' : 'group recipients'}
      id={group}
      tabIndex={-1}
      aria-describedby={described || undefined}
    >
      <legend>{t('messages.field.recipients')}</legend>
      {p.hint && (
        <p class="hint" id={`${group}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={`${group}-error`}>
          {p.error}
        </p>
      )}
      <div class="recipient-kind">
        <p class="recipient-kind-title">{t('messages.recipients.agencies')}</p>
        {choices === null ? (
          <div class="field">
            <label for={`${p.idPrefix}-agencies`}>{t('messages.recipients.typed')}</label>
            <p class="hint" id={`${p.idPrefix}-agencies-hint`}>
              <Msg k="messages.recipients.typed_hint" values={{ example: <Code>FR-DGPN</Code> }} />
            </p>
            <input
              id={`${p.idPrefix}-agencies`}
              type="text"
              dir="ltr"
              autoComplete="off"
              spellcheck={false}
              aria-describedby={`${p.idPrefix}-agencies-hint`}
              value={p.typed}
              onInput={(e) => p.onTyped(e.currentTarget.value.toUpperCase())}
            />
          </div>
        ) : choices.length === 0 ? (
          <p class="hint">{t('messages.recipients.no_agencies')}</p>
        ) : (
          choices.map((code) => (
            <div class="field-check" key={code}>
              <input
                type="checkbox"
                id={`${p.idPrefix}-agency-${code}`}
                data-agency={code}
                checked={p.chosenAgencies.includes(code)}
                onChange={(e) => p.onAgencies(toggle(p.chosenAgencies, code, e.currentTarget.checked))}
              />
              <label for={`${p.idPrefix}-agency-${code}`}>
                <AgencyLabel code={code} dir={p.dir} />
              </label>
            </div>
          ))
        )}
      </div>
      <div class="recipient-kind">
        <p class="recipient-kind-title">{t('messages.recipients.units')}</p>
        {p.dir.units.length === 0 ? (
          <p class="hint">{t(p.dir.loading ? 'app.loading' : 'messages.recipients.no_units')}</p>
        ) : (
          p.dir.units.map((u) => (
            <div class="field-check" key={u.code}>
              <input
                type="checkbox"
                id={`${p.idPrefix}-unit-${u.code}`}
                data-unit={u.code}
                checked={p.chosenUnits.includes(u.code)}
                onChange={(e) => p.onUnits(toggle(p.chosenUnits, u.code, e.currentTarget.checked))}
              />
              <label for={`${p.idPrefix}-unit-${u.code}`}>
                <bdi data-raw="">{u.name}</bdi> <Code>{u.code}</Code>
              </label>
            </div>
          ))
        )}
      </div>
    </fieldset>
  );
}

// The recipients chosen in a picker, agencies first.
export function recipientsOf(
  choices: string[] | null,
  chosenAgencies: string[],
  typed: string,
  chosenUnits: string[],
): Recipient[] {
  const agencies = choices === null ? parseCodes(typed) : chosenAgencies;
  return [
    ...agencies.map((code) => ({ type: 'agency' as const, code })),
    ...chosenUnits.map((code) => ({ type: 'unit' as const, code })),
  ];
}

// ---- errors ------------------------------------------------------------------

// The member a problem names, without indexes and sub-members
// ("recipients[1].code" → "recipients", "attachments[0].hash" → "attachments",
// "link.id" → "link").
export function problemMember(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  return error.field.replace(/[[.].*$/, '');
}

// The recipient a problem names ("recipients[1].code" → recipients[1]).
export function problemRecipient(error: unknown, sent: Recipient[]): Recipient | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const m = error.field.match(/^recipients\[(\d+)\]/);
  return m ? (sent[Number(m[1])] ?? null) : null;
}

// The translated sentence for a problem about `member`, or null: looks up
// "messages.error.<member>.<slug>", then "messages.error.<member>".
export function memberError(error: unknown, member: string): string | null {
  if (problemMember(error) !== member || !(error instanceof ApiError)) return null;
  const specific = `messages.error.${member}.${error.slug}`;
  if (has(specific)) return t(specific);
  const general = `messages.error.${member}`;
  return has(general) ? t(general) : t('app.error.field_invalid');
}
