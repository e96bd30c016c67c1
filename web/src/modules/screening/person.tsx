// Screening one person against the active alerts: names (any script),
// birth date, nationalities, gender, document numbers and the purpose (the
// node records it with the query in the audit log). The matches come back
// best first, each with its explanation.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, Link, Msg } from '../../app/components';
import { has, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { countryLabel, GENDERS } from '../alerts/common';
import { Match, type MatchView } from './common';
import { SCREENING_LISTS } from './paths';

const CONTROLS = ['name', 'aliases', 'birth_date', 'nationality', 'gender', 'documents', 'purpose'] as const;
const id = (c: string) => `screen-${c.replace('_', '-')}`;

// The form control a problem's field belongs to ("person.aliases[2]" ->
// "aliases"), or null.
function controlOf(field: string | undefined): string | null {
  if (!field) return null;
  const c = field.replace(/^person\./, '').replace(/\[.*$/, '');
  return (CONTROLS as readonly string[]).includes(c) ? c : null;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

function codes(text: string): string[] {
  return text
    .split(/[\s,;،]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

export function ScreenPerson({ me }: ScreenProps) {
  const [values, setValues] = useState<Record<string, string>>({
    name: '',
    aliases: '',
    birth_date: '',
    nationality: '',
    gender: 'unknown',
    documents: '',
    purpose: '',
  });
  const [matches, setMatches] = useState<MatchView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: string) => setValues({ ...values, [k]: v });
  const control = error instanceof ApiError ? controlOf(error.field) : null;
  const err = (c: string) => {
    if (control !== c) return null;
    const key = `screening.error.${c}`;
    return has(key) ? t(key) : t('app.error.field_invalid');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const person: Record<string, unknown> = { name: values.name };
    if (lines(values.aliases).length) person.aliases = lines(values.aliases);
    if (values.birth_date.trim()) person.birth_date = values.birth_date.trim();
    if (codes(values.nationality).length) person.nationality = codes(values.nationality);
    if (values.gender !== 'unknown') person.gender = values.gender;
    if (lines(values.documents).length) person.documents = lines(values.documents);
    try {
      const r = await call<{ matches: MatchView[] }>('POST', '/api/v1/screen', {
        body: { purpose: values.purpose, person },
      });
      setMatches(r.matches);
      requestAnimationFrame(() => document.getElementById('screen-results-title')?.focus());
    } catch (err) {
      setError(err);
      setMatches(null);
      const c = err instanceof ApiError ? controlOf(err.field) : null;
      if (c) requestAnimationFrame(() => document.getElementById(id(c))?.focus());
    } finally {
      setBusy(false);
    }
  };

  const text = (c: string, hint?: ComponentChildren, rows = 0, dir: 'auto' | 'ltr' = 'auto') => (
    <Field id={id(c)} label={t(`screening.field.${c}`)} hint={hint} error={err(c)}>
      {(aria) =>
        rows ? (
          <textarea {...aria} dir={dir} rows={rows} value={values[c]} onInput={(e) => set(c, e.currentTarget.value)} />
        ) : (
          <input {...aria} type="text" dir={dir} autoComplete="off" value={values[c]} onInput={(e) => set(c, e.currentTarget.value)} />
        )
      }
    </Field>
  );
  const nationalityNames = codes(values.nationality).filter((c) => /^[A-Z]{2}$/.test(c)).map(countryLabel);

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('screening.title')}</h1>
        {can(me, 'screen.batch') && (
          <Link class="button secondary" href={SCREENING_LISTS}>
            {t('screening.lists.nav')}
          </Link>
        )}
      </div>
      <p>{t('screening.person.text')}</p>
      <div class="screen-layout">
        <form class="form card" onSubmit={submit} noValidate aria-labelledby="screen-form-title">
          <h2 id="screen-form-title">{t('screening.person.form')}</h2>
          {control ? (
            <p class="notice notice-error" role="alert">
              {t('screening.person.fix')}
            </p>
          ) : (
            error && <ErrorNotice error={error} />
          )}
          {text('name', t('screening.hint.name'))}
          {text('aliases', t('screening.hint.aliases'), 2)}
          <div class="row">
            {text('birth_date', <Msg k="alerts.hint.birth_date" values={{ example: <Code>1984-03-12</Code>, year: <Code>1984</Code> }} />, 0, 'ltr')}
            <Field id={id('gender')} label={t('screening.field.gender')} error={err('gender')}>
              {(aria) => (
                <select {...aria} value={values.gender} onChange={(e) => set('gender', e.currentTarget.value)}>
                  {GENDERS.map((g) => (
                    <option value={g} key={g}>
                      {t(`alerts.gender.${g}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          {text('nationality', <Msg k="alerts.hint.countries" values={{ example: <Code>MA FR</Code> }} />, 0, 'ltr')}
          {nationalityNames.length > 0 && <p class="sub">{nationalityNames.join(t('alerts.list_separator'))}</p>}
          {text('documents', t('screening.hint.documents'), 2, 'ltr')}
          {text('purpose', t('screening.hint.purpose'), 2)}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? t('screening.person.busy') : t('screening.person.submit')}
            </button>
          </div>
        </form>
        <section class="results" aria-labelledby="screen-results-title" aria-live="polite">
          <h2 id="screen-results-title" tabIndex={-1}>
            {matches === null ? t('screening.results.title') : t('screening.results.count', { count: matches.length })}
          </h2>
          {matches === null && <p class="hint">{t('screening.results.none_yet')}</p>}
          {matches && matches.length === 0 && <p class="notice notice-ok">{t('screening.results.no_match')}</p>}
          {matches?.map((m, i) => (
            <Match key={m.alert_id} match={m} me={me} id={`match-${i}`} open={i === 0} />
          ))}
        </section>
      </div>
    </>
  );
}
