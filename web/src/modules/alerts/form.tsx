// Drafting a new alert and editing one: every member of the alert in one
// form. The node validates everything and names the member at fault
// ("names[1].full", "documents[0].country", "warrant.issued_on"); the form
// shows the message next to that control and moves the focus to it. An edit
// carries the version it was made on: a stale one is refused (409) and the
// form offers to reload the alert.

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, Link, Msg, Name } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import {
  alertFieldError,
  CATEGORIES,
  ConflictNotice,
  countryLabel,
  DOCUMENT_TYPES,
  fieldId,
  GENDERS,
  HANDLING_CODES,
  NAME_KINDS,
  primaryName,
  PURPOSE,
  WARNINGS,
  type Alert,
  type AlertContent,
  type Category,
  type DocumentType,
  type Gender,
  type HandlingCode,
  type NameKind,
  type Warning,
} from './common';
import { ALERT, ALERTS } from './paths';

interface NameDraft {
  full: string;
  given: string;
  family: string;
  kind: NameKind;
}

interface DocumentDraft {
  type: DocumentType;
  number: string;
  country: string;
  expires_on: string;
}

interface Draft {
  category: Category | '';
  names: NameDraft[];
  birth_date: string;
  birth_place: string;
  nationalities: string;
  gender: Gender;
  documents: DocumentDraft[];
  marks: string;
  offence: string;
  warrant_reference: string;
  warrant_authority: string;
  warrant_issued_on: string;
  action: string;
  warnings: Warning[];
  handling_code: HandlingCode;
  share_with: string;
}

const emptyName = (kind: NameKind): NameDraft => ({ full: '', given: '', family: '', kind });
const emptyDocument = (): DocumentDraft => ({ type: 'passport', number: '', country: '', expires_on: '' });

function draftOf(a: Alert | null): Draft {
  if (!a) {
    return {
      category: '',
      names: [emptyName('primary')],
      birth_date: '',
      birth_place: '',
      nationalities: '',
      gender: 'unknown',
      documents: [],
      marks: '',
      offence: '',
      warrant_reference: '',
      warrant_authority: '',
      warrant_issued_on: '',
      action: '',
      warnings: [],
      handling_code: 'H1',
      share_with: '',
    };
  }
  return {
    category: a.category,
    names: a.names.map((n, i) => ({
      full: n.full,
      given: n.given ?? '',
      family: n.family ?? '',
      kind: n.kind ?? (i === 0 ? 'primary' : 'alias'),
    })),
    birth_date: a.birth_date ?? '',
    birth_place: a.birth_place,
    nationalities: a.nationalities.join(' '),
    gender: a.gender,
    documents: a.documents.map((d) => ({
      type: d.type,
      number: d.number,
      country: d.country ?? '',
      expires_on: d.expires_on ?? '',
    })),
    marks: a.distinguishing_marks.join('\n'),
    offence: a.offence,
    warrant_reference: a.warrant?.reference ?? '',
    warrant_authority: a.warrant?.authority ?? '',
    warrant_issued_on: a.warrant?.issued_on ?? '',
    action: a.action,
    warnings: [...a.warnings],
    handling_code: a.handling_code,
    share_with: a.share_with.join(' '),
  };
}

// Codes typed with spaces or commas between them ("ma, fr" -> ["MA", "FR"]).
function codes(text: string): string[] {
  return text
    .split(/[\s,;،]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

function contentOf(d: Draft): Partial<AlertContent> & Record<string, unknown> {
  const warrant =
    d.warrant_reference.trim() || d.warrant_authority.trim() || d.warrant_issued_on
      ? { reference: d.warrant_reference, authority: d.warrant_authority, issued_on: d.warrant_issued_on }
      : null;
  return {
    category: d.category as Category,
    names: d.names.map((n) => ({ full: n.full, given: n.given, family: n.family, kind: n.kind })),
    birth_date: d.birth_date.trim() || null,
    birth_place: d.birth_place,
    nationalities: codes(d.nationalities),
    gender: d.gender,
    documents: d.documents.map((x) => ({
      type: x.type,
      number: x.number,
      country: x.country.trim().toUpperCase(),
      expires_on: x.expires_on || null,
    })),
    distinguishing_marks: d.marks
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    offence: d.offence,
    warrant,
    action: d.action,
    warnings: WARNINGS.filter((w) => d.warnings.includes(w)),
    handling_code: d.handling_code,
    share_with: codes(d.share_with),
  };
}

// The control a problem's field belongs to: members typed in one control
// (nationalities, share_with, marks, warnings) lose their index.
function controlOf(field: string): string {
  const m = field.match(/^(nationalities|share_with|distinguishing_marks|warnings)\[\d+\]$/);
  return m ? m[1] : field;
}

interface FormProps {
  alert: Alert | null;
  onReload?: () => void;
}

function AlertForm({ alert, onReload }: FormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(alert));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const problemControl = error instanceof ApiError && error.field ? controlOf(error.field) : null;
  const err = (control: string) => (problemControl === control && error instanceof ApiError && error.field ? alertFieldError(error, error.field) : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let id: string;
      if (alert) {
        const updated = await call<Alert>('PATCH', `/api/v1/alerts/${encodeURIComponent(alert.id)}`, {
          body: { version: alert.version, ...contentOf(draft) },
          purpose: PURPOSE,
        });
        id = updated.id;
      } else {
        const created = await call<{ id: string }>('POST', '/api/v1/alerts', {
          body: contentOf(draft),
          purpose: PURPOSE,
        });
        id = created.id;
      }
      navigate(`${pathFor(ALERT, { id })}?saved=${alert ? 'updated' : 'created'}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.field) {
        const target = fieldId(controlOf(err.field));
        requestAnimationFrame(() => document.getElementById(target)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  const setName = (i: number, patch: Partial<NameDraft>) =>
    update({ names: draft.names.map((n, j) => (j === i ? { ...n, ...patch } : n)) });
  const setDocument = (i: number, patch: Partial<DocumentDraft>) =>
    update({ documents: draft.documents.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const fieldProblem = problemControl !== null;
  const nationalityNames = codes(draft.nationalities)
    .filter((c) => /^[A-Z]{2}$/.test(c))
    .map(countryLabel);

  return (
    <>
      {error instanceof ApiError && error.status === 409 && onReload ? (
        <ConflictNotice error={error} onReload={onReload} />
      ) : fieldProblem ? (
        <p class="notice notice-error" role="alert">
          {t('alerts.form.fix')}
        </p>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      <form class="form alert-form" onSubmit={submit} noValidate>
        <Field id={fieldId('category')} label={t('alerts.field.category')} error={err('category')}>
          {(aria) => (
            <select
              {...aria}
              value={draft.category}
              onChange={(e) => update({ category: e.currentTarget.value as Category })}
            >
              {!alert && <option value="">{t('alerts.form.choose_category')}</option>}
              {CATEGORIES.map((c) => (
                <option value={c} key={c}>
                  {t(`alerts.category.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>

        <fieldset
          class={err('names') ? 'group field-invalid' : 'group'}
          id={fieldId('names')}
          tabIndex={-1}
          aria-describedby={err('names') ? 'alert-names-error' : undefined}
        >
          <legend>{t('alerts.field.names')}</legend>
          <p class="hint">{t('alerts.hint.names')}</p>
          {err('names') && (
            <p class="field-error" id="alert-names-error">
              {err('names')}
            </p>
          )}
          {draft.names.map((n, i) => (
            <div class="repeat" key={i} role="group" aria-label={t('alerts.form.name_n', { n: i + 1 })}>
              <p class="repeat-title">{t('alerts.form.name_n', { n: i + 1 })}</p>
              <Field id={fieldId(`names[${i}].full`)} label={t('alerts.field.name_full')} error={err(`names[${i}].full`)}>
                {(aria) => (
                  <input
                    {...aria}
                    type="text"
                    dir="auto"
                    autoComplete="off"
                    value={n.full}
                    onInput={(e) => setName(i, { full: e.currentTarget.value })}
                  />
                )}
              </Field>
              <div class="row">
                <Field id={fieldId(`names[${i}].given`)} label={t('alerts.field.name_given')} error={err(`names[${i}].given`)}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      dir="auto"
                      autoComplete="off"
                      value={n.given}
                      onInput={(e) => setName(i, { given: e.currentTarget.value })}
                    />
                  )}
                </Field>
                <Field id={fieldId(`names[${i}].family`)} label={t('alerts.field.name_family')} error={err(`names[${i}].family`)}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      dir="auto"
                      autoComplete="off"
                      value={n.family}
                      onInput={(e) => setName(i, { family: e.currentTarget.value })}
                    />
                  )}
                </Field>
                <Field id={fieldId(`names[${i}].kind`)} label={t('alerts.field.name_kind')} error={err(`names[${i}].kind`)}>
                  {(aria) => (
                    <select {...aria} value={n.kind} onChange={(e) => setName(i, { kind: e.currentTarget.value as NameKind })}>
                      {NAME_KINDS.map((k) => (
                        <option value={k} key={k}>
                          {t(`alerts.name_kind.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              {draft.names.length > 1 && (
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => update({ names: draft.names.filter((_, j) => j !== i) })}
                >
                  {t('alerts.form.remove_name', { n: i + 1 })}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => update({ names: [...draft.names, emptyName('alias')] })}
            disabled={draft.names.length >= 50}
          >
            {t('alerts.form.add_name')}
          </button>
        </fieldset>

        <div class="row">
          <Field
            id={fieldId('birth_date')}
            label={t('alerts.field.birth_date')}
            hint={<Msg k="alerts.hint.birth_date" values={{ example: <Code>1984-03-12</Code>, year: <Code>1984</Code> }} />}
            error={err('birth_date')}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                dir="ltr"
                inputMode="numeric"
                autoComplete="off"
                value={draft.birth_date}
                onInput={(e) => update({ birth_date: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field id={fieldId('gender')} label={t('alerts.field.gender')} error={err('gender')}>
            {(aria) => (
              <select {...aria} value={draft.gender} onChange={(e) => update({ gender: e.currentTarget.value as Gender })}>
                {GENDERS.map((g) => (
                  <option value={g} key={g}>
                    {t(`alerts.gender.${g}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field id={fieldId('birth_place')} label={t('alerts.field.birth_place')} error={err('birth_place')}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              dir="auto"
              autoComplete="off"
              value={draft.birth_place}
              onInput={(e) => update({ birth_place: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field
          id={fieldId('nationalities')}
          label={t('alerts.field.nationalities')}
          hint={<Msg k="alerts.hint.countries" values={{ example: <Code>MA FR</Code> }} />}
          error={err('nationalities')}
        >
          {(aria) => (
            <>
              <input
                {...aria}
                type="text"
                dir="ltr"
                autoComplete="off"
                autoCapitalize="characters"
                spellcheck={false}
                value={draft.nationalities}
                onInput={(e) => update({ nationalities: e.currentTarget.value })}
              />
              {nationalityNames.length > 0 && <p class="sub">{nationalityNames.join(t('alerts.list_separator'))}</p>}
            </>
          )}
        </Field>

        <fieldset class={err('documents') ? 'group field-invalid' : 'group'} id={fieldId('documents')} tabIndex={-1}>
          <legend>{t('alerts.field.documents')}</legend>
          {err('documents') && <p class="field-error">{err('documents')}</p>}
          {draft.documents.length === 0 && <p class="hint">{t('alerts.form.no_documents')}</p>}
          {draft.documents.map((d, i) => (
            <div class="repeat" key={i} role="group" aria-label={t('alerts.form.document_n', { n: i + 1 })}>
              <p class="repeat-title">{t('alerts.form.document_n', { n: i + 1 })}</p>
              <div class="row">
                <Field id={fieldId(`documents[${i}].type`)} label={t('alerts.field.document_type')} error={err(`documents[${i}].type`)}>
                  {(aria) => (
                    <select
                      {...aria}
                      value={d.type}
                      onChange={(e) => setDocument(i, { type: e.currentTarget.value as DocumentType })}
                    >
                      {DOCUMENT_TYPES.map((x) => (
                        <option value={x} key={x}>
                          {t(`alerts.document_type.${x}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id={fieldId(`documents[${i}].number`)} label={t('alerts.field.document_number')} error={err(`documents[${i}].number`)}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      dir="ltr"
                      autoComplete="off"
                      spellcheck={false}
                      value={d.number}
                      onInput={(e) => setDocument(i, { number: e.currentTarget.value })}
                    />
                  )}
                </Field>
              </div>
              <div class="row">
                <Field id={fieldId(`documents[${i}].country`)} label={t('alerts.field.document_country')} error={err(`documents[${i}].country`)}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      dir="ltr"
                      autoComplete="off"
                      spellcheck={false}
                      maxLength={2}
                      value={d.country}
                      onInput={(e) => setDocument(i, { country: e.currentTarget.value })}
                    />
                  )}
                </Field>
                <Field id={fieldId(`documents[${i}].expires_on`)} label={t('alerts.field.document_expires_on')} error={err(`documents[${i}].expires_on`)}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="date"
                      value={d.expires_on}
                      onInput={(e) => setDocument(i, { expires_on: e.currentTarget.value })}
                    />
                  )}
                </Field>
              </div>
              <button
                type="button"
                class="secondary small"
                onClick={() => update({ documents: draft.documents.filter((_, j) => j !== i) })}
              >
                {t('alerts.form.remove_document', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => update({ documents: [...draft.documents, emptyDocument()] })}
            disabled={draft.documents.length >= 20}
          >
            {t('alerts.form.add_document')}
          </button>
        </fieldset>

        <Field
          id={fieldId('distinguishing_marks')}
          label={t('alerts.field.distinguishing_marks')}
          hint={t('alerts.hint.one_per_line')}
          error={err('distinguishing_marks')}
        >
          {(aria) => (
            <textarea
              {...aria}
              dir="auto"
              rows={2}
              value={draft.marks}
              onInput={(e) => update({ marks: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field id={fieldId('offence')} label={t('alerts.field.offence')} hint={t('alerts.hint.offence')} error={err('offence')}>
          {(aria) => (
            <textarea
              {...aria}
              dir="auto"
              rows={3}
              value={draft.offence}
              onInput={(e) => update({ offence: e.currentTarget.value })}
            />
          )}
        </Field>
        <fieldset class={err('warrant') ? 'group field-invalid' : 'group'} id={fieldId('warrant')} tabIndex={-1}>
          <legend>{t('alerts.field.warrant')}</legend>
          <p class="hint">{t('alerts.hint.warrant')}</p>
          {err('warrant') && <p class="field-error">{err('warrant')}</p>}
          <div class="row">
            <Field id={fieldId('warrant.reference')} label={t('alerts.field.warrant.reference')} error={err('warrant.reference')}>
              {(aria) => (
                <input
                  {...aria}
                  type="text"
                  dir="auto"
                  autoComplete="off"
                  value={draft.warrant_reference}
                  onInput={(e) => update({ warrant_reference: e.currentTarget.value })}
                />
              )}
            </Field>
            <Field id={fieldId('warrant.issued_on')} label={t('alerts.field.warrant.issued_on')} error={err('warrant.issued_on')}>
              {(aria) => (
                <input
                  {...aria}
                  type="date"
                  value={draft.warrant_issued_on}
                  onInput={(e) => update({ warrant_issued_on: e.currentTarget.value })}
                />
              )}
            </Field>
          </div>
          <Field id={fieldId('warrant.authority')} label={t('alerts.field.warrant.authority')} error={err('warrant.authority')}>
            {(aria) => (
              <input
                {...aria}
                type="text"
                dir="auto"
                autoComplete="off"
                value={draft.warrant_authority}
                onInput={(e) => update({ warrant_authority: e.currentTarget.value })}
              />
            )}
          </Field>
        </fieldset>
        <Field id={fieldId('action')} label={t('alerts.field.action')} hint={t('alerts.hint.action')} error={err('action')}>
          {(aria) => (
            <textarea
              {...aria}
              dir="auto"
              rows={3}
              value={draft.action}
              onInput={(e) => update({ action: e.currentTarget.value })}
            />
          )}
        </Field>
        <fieldset class={err('warnings') ? 'group field-invalid' : 'group'} id={fieldId('warnings')} tabIndex={-1}>
          <legend>{t('alerts.field.warnings')}</legend>
          <p class="hint">{t('alerts.hint.warnings')}</p>
          {err('warnings') && <p class="field-error">{err('warnings')}</p>}
          <div class="checks">
            {WARNINGS.map((w) => (
              <div class="field-check" key={w}>
                <input
                  type="checkbox"
                  id={`alert-warning-${w}`}
                  checked={draft.warnings.includes(w)}
                  onChange={(e) =>
                    update({
                      warnings: e.currentTarget.checked
                        ? [...draft.warnings, w]
                        : draft.warnings.filter((x) => x !== w),
                    })
                  }
                />
                <label for={`alert-warning-${w}`}>{t(`alerts.warning.${w}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <Field id={fieldId('handling_code')} label={t('alerts.field.handling_code')} error={err('handling_code')}>
          {(aria) => (
            <select
              {...aria}
              value={draft.handling_code}
              onChange={(e) => update({ handling_code: e.currentTarget.value as HandlingCode })}
            >
              {HANDLING_CODES.map((h) => (
                <option value={h} key={h}>
                  {t(`alerts.handling.${h}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={fieldId('share_with')}
          label={t('alerts.field.share_with')}
          hint={<Msg k="alerts.hint.share_with" values={{ example: <Code>FR-DGPN</Code> }} />}
          error={err('share_with')}
        >
          {(aria) => (
            <input
              {...aria}
              type="text"
              dir="ltr"
              autoComplete="off"
              spellcheck={false}
              value={draft.share_with}
              onInput={(e) => update({ share_with: e.currentTarget.value })}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {alert ? t('alerts.form.save') : t('alerts.form.create')}
          </button>
          <Link class="button secondary" href={alert ? pathFor(ALERT, { id: alert.id }) : ALERTS}>
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

export function NewAlert(_: ScreenProps) {
  return (
    <>
      <p class="breadcrumb">
        <Link href={ALERTS}>{t('alerts.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('alerts.new.title')}</h1>
      <p>{t('alerts.new.text')}</p>
      <AlertForm alert={null} />
    </>
  );
}

export function EditAlert({ params }: ScreenProps) {
  const [revision, setRevision] = useState(0);
  const loaded = useLoad(
    (signal) => call<Alert>('GET', `/api/v1/alerts/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }),
    [params.id, revision],
  );
  const alert = loaded.data;
  // The failure of the last read, not shown while the next one runs.
  const error = loaded.loading ? null : loaded.error;

  return (
    <>
      <p class="breadcrumb">
        <Link href={pathFor(ALERT, { id: params.id })}>{t('alerts.back_to_alert')}</Link>
      </p>
      <h1 tabIndex={-1}>
        {alert ? <Msg k="alerts.edit.title_of" values={{ name: <Name>{primaryName(alert)}</Name> }} /> : t('alerts.edit.title')}
      </h1>
      <ErrorNotice error={error} />
      {!alert && !error && <p role="status">{t('app.loading')}</p>}
      {alert && (
        <>
          <p class="hint">{t('alerts.edit.version', { version: alert.version })}</p>
          <AlertForm key={`${alert.id}-${alert.version}-${revision}`} alert={alert} onReload={() => setRevision((r) => r + 1)} />
        </>
      )}
    </>
  );
}
