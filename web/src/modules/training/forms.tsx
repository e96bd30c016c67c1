// The forms of the training screens: a programme (created or edited by its
// owner), a session of a programme, and a catalogue item. Each sends what
// the node checks; when the node names a member ("languages[1]",
// "share_with[0]", "capacity", "ends_at") its message is shown on that
// field, which takes the focus.

import { useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Code, Field, Msg } from '../../app/components';
import { languageName, locale, t, type Lang } from '../../app/i18n';
import {
  DOMAINS,
  FormError,
  LANGUAGES,
  PURPOSE,
  SESSION_STATES,
  TOPICS,
  focusMember,
  fromLocalInput,
  memberError,
  parseCodes,
  toLocalInput,
  type CatalogueItem,
  type Programme,
  type Session,
} from './common';

function languageLabel(code: string): string {
  if (code === 'ar' || code === 'fr' || code === 'en') return languageName(code as Lang);
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

// Checkboxes of the languages, under a legend; the node's error on
// "languages" or one of its members shows here.
function LanguagesField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string[];
  onChange: (v: string[]) => void;
  error: string | null;
}) {
  return (
    <fieldset
      class={error ? 'group field-invalid' : 'group'}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{t('training.field.languages')}</legend>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="checks">
        {LANGUAGES.map((l) => (
          <div class="field-check" key={l}>
            <input
              type="checkbox"
              id={`${id}-${l}`}
              checked={value.includes(l)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...value, l] : value.filter((x) => x !== l))
              }
            />
            <label for={`${id}-${l}`}>{languageLabel(l)}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function ShareField({ id, value, onInput, error }: { id: string; value: string; onInput: (v: string) => void; error: string | null }) {
  return (
    <Field
      id={id}
      label={t('training.field.share_with')}
      hint={<Msg k="training.hint.share_with" values={{ example: <Code>FR-DGPN, ES-CNP</Code> }} />}
      error={error}
    >
      {(aria) => (
        <input
          {...aria}
          type="text"
          dir="ltr"
          autoComplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value.toUpperCase())}
        />
      )}
    </Field>
  );
}

// Creates a programme (no `programme`) or edits ours at its version.
export function ProgrammeForm({
  programme,
  onSaved,
  onCancel,
}: {
  programme?: Programme;
  onSaved: (p: Programme) => void;
  onCancel?: () => void;
}) {
  const [title, setTitle] = useState(programme?.title ?? '');
  const [topic, setTopic] = useState(programme?.topic ?? '');
  const [description, setDescription] = useState(programme?.description ?? '');
  const [languages, setLanguages] = useState<string[]>(programme?.languages ?? []);
  const [share, setShare] = useState((programme?.share_with ?? []).join(', '));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    'title': 'programme-title',
    topic: 'programme-topic',
    description: 'programme-description',
    languages: 'programme-languages',
    share_with: 'programme-share',
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      title: title.trim(),
      topic,
      description,
      languages,
      share_with: parseCodes(share),
    };
    if (programme) body.version = programme.version;
    try {
      const saved = programme
        ? await call<Programme>('PUT', `/api/v1/training/programmes/${programme.id}`, { body, purpose: PURPOSE })
        : await call<Programme>('POST', '/api/v1/training/programmes', { body, purpose: PURPOSE });
      onSaved(saved);
    } catch (x) {
      setError(x);
      focusMember(x, ids);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form inline-form programme-form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <Field id={ids.title} label={t('training.field.title')} error={memberError(error, 'title')}>
        {(aria) => <input {...aria} type="text" dir="auto" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      <Field id={ids.topic} label={t('training.field.topic')} error={memberError(error, 'topic')}>
        {(aria) => (
          <select {...aria} value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
            <option value="">{t('training.choose')}</option>
            {TOPICS.map((x) => (
              <option value={x} key={x}>
                {t(`training.topic.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={ids.description} label={t('training.field.description')} error={memberError(error, 'description')}>
        {(aria) => (
          <textarea {...aria} dir="auto" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        )}
      </Field>
      <LanguagesField id={ids.languages} value={languages} onChange={setLanguages} error={memberError(error, 'languages')} />
      <ShareField id={ids.share_with} value={share} onInput={setShare} error={memberError(error, 'share_with')} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {programme ? t('training.save') : t('training.programme.create')}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

// Adds a session to our programme, or edits ours (dates, place, capacity, state).
export function SessionForm({
  programmeId,
  session,
  onSaved,
  onCancel,
}: {
  programmeId: string;
  session?: Session;
  onSaved: (s: Session) => void;
  onCancel?: () => void;
}) {
  const [starts, setStarts] = useState(session ? toLocalInput(session.starts_at) : '');
  const [ends, setEnds] = useState(session ? toLocalInput(session.ends_at) : '');
  const [place, setPlace] = useState(session?.place ?? '');
  const [capacity, setCapacity] = useState(session ? String(session.capacity) : '');
  const [state, setState] = useState(session?.state ?? 'open');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    starts_at: 'session-starts',
    ends_at: 'session-ends',
    place: 'session-place',
    capacity: 'session-capacity',
    state: 'session-state',
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      starts_at: fromLocalInput(starts),
      ends_at: fromLocalInput(ends),
      place: place.trim(),
      capacity: capacity.trim() === '' ? 0 : Number(capacity),
      state,
    };
    if (session) body.version = session.version;
    try {
      const saved = session
        ? await call<Session>('PUT', `/api/v1/training/sessions/${session.id}`, { body, purpose: PURPOSE })
        : await call<Session>('POST', `/api/v1/training/programmes/${programmeId}/sessions`, { body, purpose: PURPOSE });
      onSaved(saved);
    } catch (x) {
      setError(x);
      focusMember(x, ids);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form inline-form session-form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <Field id={ids.starts_at} label={t('training.field.starts_at')} error={memberError(error, 'starts_at')}>
        {(aria) => <input {...aria} type="datetime-local" value={starts} onInput={(e) => setStarts(e.currentTarget.value)} />}
      </Field>
      <Field id={ids.ends_at} label={t('training.field.ends_at')} error={memberError(error, 'ends_at')}>
        {(aria) => <input {...aria} type="datetime-local" value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />}
      </Field>
      <Field id={ids.place} label={t('training.field.place')} error={memberError(error, 'place')}>
        {(aria) => <input {...aria} type="text" dir="auto" value={place} onInput={(e) => setPlace(e.currentTarget.value)} />}
      </Field>
      <Field
        id={ids.capacity}
        label={t('training.field.capacity')}
        hint={t('training.hint.capacity')}
        error={memberError(error, 'capacity')}
      >
        {(aria) => (
          <input
            {...aria}
            type="number"
            min={1}
            max={10000}
            inputMode="numeric"
            value={capacity}
            onInput={(e) => setCapacity(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={ids.state} label={t('training.field.state')} error={memberError(error, 'state')}>
        {(aria) => (
          <select {...aria} value={state} onChange={(e) => setState(e.currentTarget.value)}>
            {SESSION_STATES.map((s) => (
              <option value={s} key={s}>
                {t(`training.state.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {session ? t('training.save') : t('training.session.create')}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

// Offers a catalogue item, or edits ours at its version.
export function ItemForm({
  item,
  onSaved,
  onCancel,
}: {
  item?: CatalogueItem;
  onSaved: (i: CatalogueItem) => void;
  onCancel?: () => void;
}) {
  const prefix = item ? `item-${item.id.slice(0, 8)}` : 'item';
  const [domain, setDomain] = useState(item?.domain ?? '');
  const [title, setTitle] = useState(item?.title ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [contact, setContact] = useState(item?.contact_unit ?? '');
  const [languages, setLanguages] = useState<string[]>(item?.languages ?? []);
  const [share, setShare] = useState((item?.share_with ?? []).join(', '));
  const [active, setActive] = useState(item?.active ?? true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    domain: `${prefix}-domain`,
    title: `${prefix}-title`,
    description: `${prefix}-description`,
    contact_unit: `${prefix}-contact`,
    languages: `${prefix}-languages`,
    share_with: `${prefix}-share`,
    active: `${prefix}-active`,
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      domain,
      title: title.trim(),
      description,
      contact_unit: contact.trim(),
      languages,
      share_with: parseCodes(share),
      active,
    };
    if (item) body.version = item.version;
    try {
      const saved = item
        ? await call<CatalogueItem>('PUT', `/api/v1/training/catalogue/${item.id}`, { body, purpose: PURPOSE })
        : await call<CatalogueItem>('POST', '/api/v1/training/catalogue', { body, purpose: PURPOSE });
      onSaved(saved);
    } catch (x) {
      setError(x);
      focusMember(x, ids);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form inline-form item-form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <Field id={ids.domain} label={t('training.field.domain')} error={memberError(error, 'domain')}>
        {(aria) => (
          <select {...aria} value={domain} onChange={(e) => setDomain(e.currentTarget.value)}>
            <option value="">{t('training.choose')}</option>
            {DOMAINS.map((d) => (
              <option value={d} key={d}>
                {t(`training.domain.${d}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={ids.title} label={t('training.field.title')} error={memberError(error, 'title')}>
        {(aria) => <input {...aria} type="text" dir="auto" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      <Field id={ids.description} label={t('training.field.description')} error={memberError(error, 'description')}>
        {(aria) => (
          <textarea {...aria} dir="auto" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        )}
      </Field>
      <Field id={ids.contact_unit} label={t('training.field.contact_unit')} error={memberError(error, 'contact_unit')}>
        {(aria) => <input {...aria} type="text" dir="auto" value={contact} onInput={(e) => setContact(e.currentTarget.value)} />}
      </Field>
      <LanguagesField id={ids.languages} value={languages} onChange={setLanguages} error={memberError(error, 'languages')} />
      <ShareField id={ids.share_with} value={share} onInput={setShare} error={memberError(error, 'share_with')} />
      <div class="field-check">
        <input type="checkbox" id={ids.active} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        <label for={ids.active}>{t('training.field.active')}</label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {item ? t('training.save') : t('training.catalogue.create')}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
