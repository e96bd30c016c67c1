// Submitting a mutual-assistance request to a partner agency: the partner
// (chosen among the registered partner nodes when the user may read them,
// typed as an agency code otherwise), the type, the urgency and whether the
// partner can consult the information directly — which sets the legal
// deadline, previewed as the choices are made —, the subject, what is asked
// and why, and an optional linked alert or hit (?alert=, ?hit=, ?type= fill
// them in). A request for technical assistance may name an item of the
// requested agency's technical-assistance catalogue held here (listed for
// the partner chosen, cleared when the partner or the type changes; ?item=
// preselects it, as the catalogue's "request" link does). The node checks
// every member and names the one at fault.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, fieldError, Link, Msg } from '../../app/components';
import { formatDuration, lang, locale, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import type { PeerHealth } from '../admin/partners';
import type { CatalogueItem } from '../training/common';
import { CATALOGUE_TYPE, catalogueMember, keptChoice, offeredItems, wantsCatalogue, withChange } from './catalogue-item';
import { PURPOSE, RuleReference, ruleText, TYPES, type AssistanceRequest, type Deadline } from './common';
import { listHref } from './list';
import { ASSISTANCE_REQUEST } from './paths';

// The members of the request, in the order of the form.
const FIELDS = [
  'requested_agency',
  'type',
  'urgency',
  'directly_accessible',
  'urgency_reason',
  'subject',
  'description',
  'grounds',
  'case_reference',
  'alert_id',
  'hit_id',
  'catalogue_item_id',
] as const;
type FieldName = (typeof FIELDS)[number];
const id = (f: FieldName) => `assistance-${f.replace(/_/g, '-')}`;

// The periods of Directive (EU) 2023/977, Art. 5(1), as the node applies them
// (src/assistance/deadline.h), for the preview; the node sets the deadline
// when the partner receives the request.
const PERIODS: Record<Deadline['rule'], number> = {
  urgent_direct: 8 * 3600,
  urgent_indirect: 3 * 86400,
  normal: 7 * 86400,
};

type Partners = { kind: 'loading' } | { kind: 'list'; peers: PeerHealth['peer'][] } | { kind: 'free' };

// The registered partner nodes when the user may read them (federation.read);
// otherwise, or when they cannot be read, the code is typed.
function usePartners(allowed: boolean): Partners {
  const { data, error } = useLoad<Partners>(
    allowed
      ? (signal) =>
          call<{ peers: PeerHealth[] }>('GET', '/api/v1/federation/peers', { signal }).then((r) => {
            const peers = r.peers.map((h) => h.peer).filter((p) => p.registered);
            return peers.length > 0 ? { kind: 'list', peers } : { kind: 'free' };
          })
      : null,
    [allowed],
  );
  return data ?? (allowed && !error ? { kind: 'loading' } : { kind: 'free' });
}

// The catalogue of the requested agency held here, for a request for
// technical assistance: idle (another type, no partner yet, or the user may
// not read the catalogue), loading, the items it offers, or failed.
type PartnerCatalogue =
  | { kind: 'idle' }
  | { kind: 'loading'; partner: string }
  | { kind: 'list'; partner: string; items: CatalogueItem[] }
  | { kind: 'failed'; partner: string };

// The catalogue pages read at most (200 items each, the node's largest page).
const CATALOGUE_PAGE_SIZE = 200;
const CATALOGUE_MAX_PAGES = 5;

// The catalogue items `agency` offers held here (up to CATALOGUE_MAX_PAGES
// pages), read a moment after the code last changed (a typed code).
async function readCatalogue(agency: string, signal: AbortSignal): Promise<CatalogueItem[]> {
  await new Promise((resolve) => window.setTimeout(resolve, 250));
  const items: CatalogueItem[] = [];
  for (let page = 1; page <= CATALOGUE_MAX_PAGES; page++) {
    const r = await call<{ items: CatalogueItem[]; total: number }>('GET', '/api/v1/training/catalogue', {
      query: { owner: agency, page, page_size: CATALOGUE_PAGE_SIZE },
      purpose: PURPOSE,
      signal,
    });
    items.push(...r.items);
    if (r.items.length < CATALOGUE_PAGE_SIZE || items.length >= r.total) break;
  }
  return offeredItems(items, agency, locale());
}

// The items `partner` offers in the catalogue held here, read when the
// request is for technical assistance and the code is complete. A load
// aborted during its pause (the code changed again) asks the node nothing:
// its signal is aborted before the first request.
function usePartnerCatalogue(type: string, partner: string, allowed: boolean): PartnerCatalogue {
  const agency = partner.trim();
  const wanted = allowed && wantsCatalogue(type, agency);
  const { data, error } = useLoad(wanted ? (signal) => readCatalogue(agency, signal) : null, [wanted, agency], {
    keep: false,
  });
  if (!wanted) return { kind: 'idle' };
  if (data) return { kind: 'list', partner: agency, items: data };
  if (error) return { kind: 'failed', partner: agency };
  return { kind: 'loading', partner: agency };
}

// The optional catalogue item of a request for technical assistance: the
// items the requested agency offers here, or why there is none to choose.
function CatalogueField({
  catalogue,
  partner,
  value,
  dropped,
  error,
  onChange,
}: {
  catalogue: PartnerCatalogue;
  partner: string;
  value: string;
  dropped: boolean;
  error: string | null;
  onChange: (v: string) => void;
}) {
  const agency = <Code>{partner}</Code>;
  let hint: ComponentChildren;
  if (catalogue.kind === 'idle') hint = t('assistance.catalogue.choose_partner');
  else if (catalogue.kind === 'loading') hint = <Msg k="assistance.catalogue.loading" values={{ agency }} />;
  else if (catalogue.kind === 'failed') hint = t('assistance.catalogue.failed');
  else if (catalogue.items.length === 0) hint = <Msg k="assistance.catalogue.empty" values={{ agency }} />;
  else hint = <Msg k="assistance.hint.catalogue_item_id" values={{ agency }} />;
  const items = catalogue.kind === 'list' ? catalogue.items : [];
  const f = 'catalogue_item_id';
  return (
    <>
      <Field id={id(f)} label={t(`assistance.field.${f}`)} hint={hint} error={error}>
        {(aria) => (
          <select
            {...aria}
            value={value}
            onChange={(e) => onChange(e.currentTarget.value)}
            disabled={items.length === 0}
            data-state={catalogue.kind}
          >
            <option value="">{t('assistance.catalogue.none')}</option>
            {items.map((i) => (
              // A title as the partner wrote it, and its domain.
              <option value={i.id} key={i.id} data-raw="" data-owner={i.owner}>
                {i.title} ({t(`training.domain.${i.domain}`)})
              </option>
            ))}
          </select>
        )}
      </Field>
      {dropped && (
        <p class="notice" role="status" data-dropped="">
          <Msg k="assistance.catalogue.dropped" values={{ agency }} />
        </p>
      )}
    </>
  );
}

function DeadlinePreview({ urgency, direct }: { urgency: string; direct: string }) {
  let rule: Deadline['rule'] | null = null;
  if (urgency === 'normal') rule = 'normal';
  else if (urgency === 'urgent' && direct === 'yes') rule = 'urgent_direct';
  else if (urgency === 'urgent' && direct === 'no') rule = 'urgent_indirect';
  return (
    <div class="notice deadline-preview" role="status" data-rule={rule ?? ''}>
      {rule ? (
        <>
          <p>
            <strong>{t('assistance.new.preview', { period: formatDuration(PERIODS[rule]) })}</strong>
          </p>
          <p>
            {ruleText({ rule, description: '' })} — <RuleReference d={{ rule, legal_reference: '' }} />
          </p>
        </>
      ) : (
        <p>{t(urgency === 'urgent' ? 'assistance.new.preview_choose_access' : 'assistance.new.preview_choose')}</p>
      )}
    </div>
  );
}

export function NewAssistance({ me }: ScreenProps) {
  const partners = usePartners(can(me, 'federation.read'));
  const [values, setValues] = useState<Record<FieldName, string>>(() => {
    const q = currentQuery();
    const type = q.get('type') ?? '';
    return {
      requested_agency: q.get('partner') ?? '',
      type: (TYPES as readonly string[]).includes(type) ? type : '',
      urgency: '',
      directly_accessible: '',
      urgency_reason: '',
      subject: '',
      description: '',
      grounds: '',
      case_reference: '',
      alert_id: q.get('alert') ?? '',
      hit_id: q.get('hit') ?? '',
      catalogue_item_id: q.get('item') ?? '',
    };
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: FieldName, v: string) => setValues((old) => withChange(old, k, v));
  const err = (f: FieldName) => fieldError(error, 'assistance', f);
  // The catalogue is read with training.read (every role has it).
  const readsCatalogue = can(me, 'training.read');
  const catalogue = usePartnerCatalogue(values.type, values.requested_agency, readsCatalogue);
  // Once the partner's items are known, a choice that is not one of them
  // (an item of the link the partner does not offer here) is dropped — the
  // user told, never sent — until another is chosen or the partner or type
  // changes (which clears the choice: withChange).
  const sendable = catalogue.kind === 'list' ? keptChoice(values.catalogue_item_id, catalogue.items) : '';
  const itemDropped = catalogue.kind === 'list' && values.catalogue_item_id !== '' && sendable === '';

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      requested_agency: values.requested_agency.trim(),
      type: values.type,
      urgency: values.urgency,
      subject: values.subject,
      description: values.description,
      grounds: values.grounds,
      case_reference: values.case_reference,
    };
    if (values.directly_accessible) body.directly_accessible = values.directly_accessible === 'yes';
    if (values.urgency === 'urgent') body.urgency_reason = values.urgency_reason;
    if (values.alert_id.trim()) body.alert_id = values.alert_id.trim();
    if (values.hit_id.trim()) body.hit_id = values.hit_id.trim();
    // Only an item the select offers (one of the partner's, as listed here).
    const item = catalogueMember(values.type, sendable);
    if (item) body.catalogue_item_id = item;
    try {
      const r = await call<AssistanceRequest>('POST', '/api/v1/assistance-requests', { body, purpose: PURPOSE });
      navigate(`${pathFor(ASSISTANCE_REQUEST, { id: r.id })}?saved=submitted`);
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && x.field && (FIELDS as readonly string[]).includes(x.field)) {
        const target = id(x.field as FieldName);
        requestAnimationFrame(() => document.getElementById(target)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  const fieldProblem = error instanceof ApiError && !!error.field && (FIELDS as readonly string[]).includes(error.field);

  const text = (f: FieldName, rows = 0, hint?: string, dir: 'auto' | 'ltr' = 'auto') => (
    <Field id={id(f)} label={t(`assistance.field.${f}`)} hint={hint} error={err(f)}>
      {(aria) =>
        rows ? (
          <textarea {...aria} dir={dir} rows={rows} value={values[f]} onInput={(e) => set(f, e.currentTarget.value)} />
        ) : (
          <input {...aria} type="text" dir={dir} autoComplete="off" value={values[f]} onInput={(e) => set(f, e.currentTarget.value)} />
        )
      }
    </Field>
  );
  // A group of radio buttons whose legend labels it and whose error the
  // node names by the member.
  const radios = (f: FieldName, options: { value: string; label: string; hint?: string }[], hint?: string) => (
    <fieldset
      class={err(f) ? 'group field-invalid' : 'group'}
      id={id(f)}
      tabIndex={-1}
      aria-describedby={[hint ? `${id(f)}-hint` : '', err(f) ? `${id(f)}-error` : ''].filter(Boolean).join(' ') || undefined}
    >
      <legend>{t(`assistance.field.${f}`)}</legend>
      {hint && (
        <p class="hint" id={`${id(f)}-hint`}>
          {hint}
        </p>
      )}
      {err(f) && (
        <p class="field-error" id={`${id(f)}-error`}>
          {err(f)}
        </p>
      )}
      {options.map((o) => (
        <div class="field-check" key={o.value}>
          <input
            type="radio"
            name={f}
            id={`${id(f)}-${o.value}`}
            value={o.value}
            checked={values[f] === o.value}
            onChange={() => set(f, o.value)}
            aria-describedby={o.hint ? `${id(f)}-${o.value}-hint` : undefined}
          />
          <label for={`${id(f)}-${o.value}`}>{o.label}</label>
          {o.hint && (
            <p class="hint" id={`${id(f)}-${o.value}-hint`}>
              {o.hint}
            </p>
          )}
        </div>
      ))}
    </fieldset>
  );

  return (
    <>
      <p class="breadcrumb">
        <Link href={listHref({ direction: 'outgoing' })}>{t('assistance.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('assistance.new.title')}</h1>
      <p>{t('assistance.new.intro')}</p>
      {fieldProblem ? (
        <p class="notice notice-error" role="alert">
          {t('assistance.new.fix')}
        </p>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      <form class="form assistance-form" onSubmit={submit} noValidate>
        {partners.kind === 'list' ? (
          <Field id={id('requested_agency')} label={t('assistance.field.requested_agency')} error={err('requested_agency')}>
            {(aria) => (
              <select {...aria} value={values.requested_agency} onChange={(e) => set('requested_agency', e.currentTarget.value)}>
                <option value="">{t('assistance.choose')}</option>
                {partners.peers.map((p) => (
                  // A name and a code as the partner wrote them.
                  <option value={p.agency} key={p.agency} data-raw="">
                    {p.names?.[lang()] || p.agency} ({p.agency})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field
            id={id('requested_agency')}
            label={t('assistance.field.requested_agency')}
            hint={<Msg k="assistance.hint.requested_agency" values={{ example: <Code>FR-DGPN</Code> }} />}
            error={err('requested_agency')}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                dir="ltr"
                autoComplete="off"
                spellcheck={false}
                value={values.requested_agency}
                onInput={(e) => set('requested_agency', e.currentTarget.value.toUpperCase())}
                disabled={partners.kind === 'loading'}
              />
            )}
          </Field>
        )}
        <Field id={id('type')} label={t('assistance.field.type')} error={err('type')}>
          {(aria) => (
            <select {...aria} value={values.type} onChange={(e) => set('type', e.currentTarget.value)}>
              <option value="">{t('assistance.choose')}</option>
              {TYPES.map((x) => (
                <option value={x} key={x}>
                  {t(`assistance.type.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.type === CATALOGUE_TYPE && readsCatalogue && (
          <CatalogueField
            catalogue={catalogue}
            partner={values.requested_agency.trim()}
            value={catalogue.kind === 'list' ? sendable : values.catalogue_item_id}
            dropped={itemDropped}
            error={err('catalogue_item_id')}
            onChange={(v) => set('catalogue_item_id', v)}
          />
        )}
        {radios('urgency', [
          { value: 'normal', label: t('assistance.urgency.normal') },
          { value: 'urgent', label: t('assistance.urgency.urgent'), hint: t('assistance.hint.urgent') },
        ])}
        {radios(
          'directly_accessible',
          [
            { value: 'yes', label: t('assistance.accessible.yes'), hint: t('assistance.hint.accessible_yes') },
            { value: 'no', label: t('assistance.accessible.no'), hint: t('assistance.hint.accessible_no') },
          ],
          t('assistance.hint.directly_accessible'),
        )}
        <DeadlinePreview urgency={values.urgency} direct={values.directly_accessible} />
        {values.urgency === 'urgent' && text('urgency_reason', 2, t('assistance.hint.urgency_reason'))}
        {text('subject', 0, t('assistance.hint.subject'))}
        {text('description', 5, t('assistance.hint.description'))}
        {text('grounds', 4, t('assistance.hint.grounds'))}
        {text('case_reference', 0, t('assistance.hint.case_reference'))}
        <fieldset class="group">
          <legend>{t('assistance.new.links')}</legend>
          <p class="hint">{t('assistance.hint.links')}</p>
          {text('alert_id', 0, undefined, 'ltr')}
          {text('hit_id', 0, undefined, 'ltr')}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || partners.kind === 'loading' || catalogue.kind === 'loading'}>
            {t('assistance.new.submit')}
          </button>
          <Link class="button secondary" href={listHref({ direction: 'outgoing' })}>
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
