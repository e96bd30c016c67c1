// Major events: those this agency hosts or partners, newest first, and
// creating one (supervisor: name, days, venues, partner agencies typed as
// codes, description).

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, Field, Link } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { Agencies, AgencyChooser, formatDay, FormError, parseCodes, usePartners } from '../groups/common';
import type { MajorEvent } from './common';
import { EVENT } from './paths';

// Creating an event, or (with `initial`) changing one this agency hosts at
// the version shown (PUT; a stale version is the node's 409 message).
export function EventForm({ me, initial, onSaved }: { me: ScreenProps['me']; initial?: MajorEvent; onSaved?: (e: MajorEvent) => void }) {
  const partners = usePartners(can(me, 'partner.list'));
  const [v, setV] = useState(
    initial
      ? { name: initial.name, starts_on: initial.starts_on, ends_on: initial.ends_on, partners: initial.partners.join(', '), description: initial.description ?? '' }
      : { name: '', starts_on: '', ends_on: '', partners: '', description: '' },
  );
  const [venues, setVenues] = useState(initial ? initial.venues.map((x) => ({ code: x.code, name: x.name, city: x.city ?? '' })) : [{ code: '', name: '', city: '' }]);
  const [error, setError] = useState<unknown>(null);
  const fieldIs = (f: string) => error instanceof ApiError && (error.field === f || (error.field ?? '').startsWith(`${f}[`));
  const msg = (f: string) => (fieldIs(f) ? t('app.error.field_invalid') : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const ev = await call<MajorEvent>(initial ? 'PUT' : 'POST', initial ? `/api/v1/events/${encodeURIComponent(initial.id)}` : '/api/v1/events', {
        body: {
          ...(initial ? { version: initial.version } : {}),
          name: v.name,
          starts_on: v.starts_on,
          ends_on: v.ends_on,
          venues: venues.filter((x) => x.code || x.name),
          partners: parseCodes(v.partners),
          description: v.description,
        },
      });
      if (onSaved) onSaved(ev);
      else navigate(pathFor(EVENT, { id: ev.id }));
    } catch (x) {
      setError(x);
    }
  };
  const venueErr = (i: number, k: string) => (error instanceof ApiError && error.field === `venues[${i}].${k}` ? t('app.error.field_invalid') : null);
  return (
    <section class="card" aria-labelledby="event-new-title">
      <h2 id="event-new-title">{t(initial ? 'events.edit.title' : 'events.new.title')}</h2>
      <FormError error={error} />
      <form class="form" onSubmit={submit} noValidate>
        <Field id="event-name" label={t('events.field.name')} error={msg('name')}>
          {(aria) => <input {...aria} type="text" dir="auto" value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} />}
        </Field>
        <div class="row">
          <Field id="event-starts" label={t('events.field.starts_on')} error={msg('starts_on')}>
            {(aria) => <input {...aria} type="date" value={v.starts_on} onInput={(e) => setV({ ...v, starts_on: e.currentTarget.value })} />}
          </Field>
          <Field id="event-ends" label={t('events.field.ends_on')} error={msg('ends_on')}>
            {(aria) => <input {...aria} type="date" value={v.ends_on} onInput={(e) => setV({ ...v, ends_on: e.currentTarget.value })} />}
          </Field>
        </div>
        <fieldset class="group repeat" id="event-venues" tabIndex={-1}>
          <legend>{t('events.field.venues')}</legend>
          {fieldIs('venues') && error instanceof ApiError && error.field === 'venues' && <p class="field-error">{t('app.error.field_invalid')}</p>}
          {venues.map((x, i) => (
            <div class="row" key={i}>
              <Field id={`venue-${i}-code`} label={t('events.field.venue_code')} error={venueErr(i, 'code')}>
                {(aria) => (
                  <input
                    {...aria}
                    type="text"
                    dir="ltr"
                    spellcheck={false}
                    value={x.code}
                    onInput={(e) => setVenues(venues.map((y, j) => (j === i ? { ...y, code: e.currentTarget.value.toUpperCase() } : y)))}
                  />
                )}
              </Field>
              <Field id={`venue-${i}-name`} label={t('events.field.venue_name')} error={venueErr(i, 'name')}>
                {(aria) => (
                  <input {...aria} type="text" dir="auto" value={x.name} onInput={(e) => setVenues(venues.map((y, j) => (j === i ? { ...y, name: e.currentTarget.value } : y)))} />
                )}
              </Field>
              <Field id={`venue-${i}-city`} label={t('events.field.city')} error={venueErr(i, 'city')}>
                {(aria) => (
                  <input {...aria} type="text" dir="auto" value={x.city} onInput={(e) => setVenues(venues.map((y, j) => (j === i ? { ...y, city: e.currentTarget.value } : y)))} />
                )}
              </Field>
            </div>
          ))}
          <button type="button" class="secondary small" id="event-venue-add" onClick={() => setVenues([...venues, { code: '', name: '', city: '' }])}>
            {t('events.new.add_venue')}
          </button>
        </fieldset>
        <AgencyChooser id="event-partners" label={t('events.field.partners')} value={v.partners} onChange={(partners) => setV({ ...v, partners })} error={msg('partners')} partners={partners} />
        <Field id="event-description" label={t('events.field.description')} error={msg('description')}>
          {(aria) => <textarea {...aria} dir="auto" rows={3} value={v.description} onInput={(e) => setV({ ...v, description: e.currentTarget.value })} />}
        </Field>
        <div class="actions">
          <button type="submit">{t(initial ? 'events.edit.submit' : 'events.new.submit')}</button>
        </div>
      </form>
    </section>
  );
}

export function EventList({ me }: ScreenProps) {
  const { data: events, error } = useLoad(
    (signal) => call<{ events: MajorEvent[] }>('GET', '/api/v1/events', { query: { page_size: 200 }, signal }).then((r) => r.events),
    [],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('events.title')}</h1>
      <p>{t('events.list.text')}</p>
      <FormError error={error} />
      {!events && !error && <p role="status">{t('app.loading')}</p>}
      {events &&
        (events.length === 0 ? (
          <p>{t('events.list.empty')}</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label={t('events.title')}>
            <table class="data events">
              <thead>
                <tr>
                  <th scope="col">{t('events.field.name')}</th>
                  <th scope="col">{t('events.field.dates')}</th>
                  <th scope="col">{t('events.field.host')}</th>
                  <th scope="col">{t('events.field.partners')}</th>
                  <th scope="col">{t('events.field.venues')}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((ev) => (
                  <tr key={ev.id} data-event={ev.id}>
                    <td>
                      <Link href={pathFor(EVENT, { id: ev.id })}>
                        <Text>{ev.name}</Text>
                      </Link>
                    </td>
                    <td>{t('events.dates', { from: formatDay(ev.starts_on), to: formatDay(ev.ends_on) })}</td>
                    <td>
                      <Code>{ev.host}</Code>
                    </td>
                    <td>
                      <Agencies codes={ev.partners} />
                    </td>
                    <td class="num">{t('events.list.venues', { count: ev.venues.length })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {can(me, 'event.create') && <EventForm me={me} />}
    </>
  );
}
