// One major event: its days, venues, host and partners; the live incident
// log (read again every few seconds: an incident logged here or by a
// partner appears without reloading, announced politely) with the form to
// log one; the liaison officers deployed; the accreditation campaigns and
// starting one from the applicants' CSV.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, Link, Msg, Name } from '../../app/components';
import { formatNumber, formatTime, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { Agencies, formatDay, Progress, FormError } from '../groups/common';
import {
  INCIDENT_TYPES,
  localNow,
  PURPOSE,
  SEVERITIES,
  Severity,
  toRfc3339,
  uploadCampaign,
  usePoll,
  type Campaign,
  type Deployment,
  type Incident,
  type MajorEvent,
} from './common';
import { EventForm } from './list';
import { CAMPAIGN, EVENTS } from './paths';

// How often the incident log is read again.
const LOG_POLL_MS = 3000;

const fieldMsg = (error: unknown, f: string) =>
  error instanceof ApiError && (error.field === f || (error.field ?? '').startsWith(`${f}[`)) ? t('app.error.field_invalid') : null;

function IncidentForm({ event, onLogged }: { event: MajorEvent; onLogged: () => void }) {
  const empty = () => ({ occurred_at: localNow(), venue: event.venues[0]?.code ?? '', type: '', severity: '', description: '', persons: '' });
  const [v, setV] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('POST', `/api/v1/events/${encodeURIComponent(event.id)}/incidents`, {
        body: {
          occurred_at: toRfc3339(v.occurred_at),
          venue: v.venue,
          type: v.type,
          severity: v.severity,
          description: v.description,
          persons: v.persons.split('\n').map((s) => s.trim()).filter(Boolean),
        },
        purpose: PURPOSE,
      });
      setV(empty());
      onLogged();
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && x.field) {
        const id = `incident-${x.field.split(/[[.]/)[0].replace(/_/g, '-')}`;
        requestAnimationFrame(() => document.getElementById(id)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form incident-form" onSubmit={submit} noValidate aria-labelledby="incident-form-title">
      <h3 id="incident-form-title">{t('events.incident.new')}</h3>
      <FormError error={error} />
      <div class="row">
        <Field id="incident-occurred-at" label={t('events.field.occurred_at')} error={fieldMsg(error, 'occurred_at')}>
          {(aria) => <input {...aria} type="datetime-local" value={v.occurred_at} onInput={(e) => setV({ ...v, occurred_at: e.currentTarget.value })} />}
        </Field>
        <Field id="incident-venue" label={t('events.field.venue')} error={fieldMsg(error, 'venue')}>
          {(aria) => (
            <select {...aria} value={v.venue} onChange={(e) => setV({ ...v, venue: e.currentTarget.value })}>
              {event.venues.map((x) => (
                <option value={x.code} key={x.code} data-raw="">
                  {x.name} ({x.code})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="row">
        <Field id="incident-type" label={t('events.field.type')} error={fieldMsg(error, 'type')}>
          {(aria) => (
            <select {...aria} value={v.type} onChange={(e) => setV({ ...v, type: e.currentTarget.value })}>
              <option value="">{t('events.choose')}</option>
              {INCIDENT_TYPES.map((x) => (
                <option value={x} key={x}>
                  {t(`events.type.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="incident-severity" label={t('events.field.severity')} error={fieldMsg(error, 'severity')}>
          {(aria) => (
            <select {...aria} value={v.severity} onChange={(e) => setV({ ...v, severity: e.currentTarget.value })}>
              <option value="">{t('events.choose')}</option>
              {SEVERITIES.map((x) => (
                <option value={x} key={x}>
                  {t(`events.severity.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id="incident-description" label={t('events.field.description')} error={fieldMsg(error, 'description')}>
        {(aria) => <textarea {...aria} dir="auto" rows={3} value={v.description} onInput={(e) => setV({ ...v, description: e.currentTarget.value })} />}
      </Field>
      <Field id="incident-persons" label={t('events.field.persons')} hint={t('events.hint.persons')} error={fieldMsg(error, 'persons')}>
        {(aria) => <textarea {...aria} dir="auto" rows={2} value={v.persons} onInput={(e) => setV({ ...v, persons: e.currentTarget.value })} />}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('events.incident.submit')}
        </button>
      </div>
    </form>
  );
}

function IncidentLog({ event, me }: { event: MajorEvent; me: ScreenProps['me'] }) {
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [minimum, setMinimum] = useState('');
  const [at, setAt] = useState(0);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState(0);
  const [round, setRound] = useState(0);
  // The ids of the last read (null before the first read of this filter).
  const known = useRef<Set<string> | null>(null);
  // The log's state at the last read: the poll asks only for it (it names no
  // person and is not audited) and reads the log again, audited, when it
  // changed.
  const lastState = useRef('');
  usePoll(
    async () => {
      try {
        const state = await call<{ count: number; latest_stored_at: string | null }>(
          'GET',
          `/api/v1/events/${encodeURIComponent(event.id)}/incidents/state`,
        );
        const key = `${state.count}|${state.latest_stored_at ?? ''}`;
        if (known.current && key === lastState.current) {
          setAt(Date.now());
          setError(null);
          return;
        }
        lastState.current = key;
        const r = await call<{ incidents: Incident[] }>('GET', `/api/v1/events/${encodeURIComponent(event.id)}/incidents`, {
          query: { severity: minimum || undefined, page_size: 100 },
          purpose: PURPOSE,
        });
        // Incidents not in the previous read are new: marked and announced.
        if (known.current) {
          const seen = known.current;
          const added = r.incidents.filter((i) => !seen.has(i.id));
          if (added.length > 0) {
            setFresh(new Set(added.map((i) => i.id)));
            setAnnounce(added.length);
          }
        }
        known.current = new Set(r.incidents.map((i) => i.id));
        setIncidents(r.incidents);
        setAt(Date.now());
        setError(null);
      } catch (x) {
        setError(x);
      }
    },
    LOG_POLL_MS,
    [event.id, minimum, round],
  );
  useEffect(() => {
    known.current = null;
    lastState.current = '';
    setIncidents(null);
  }, [minimum]);
  return (
    <section class="card incident-log" aria-labelledby="incident-log-title">
      <h2 id="incident-log-title">{t('events.incident.title')}</h2>
      <p class="hint">{t('events.incident.live', { seconds: formatNumber(LOG_POLL_MS / 1000) })}</p>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce > 0 && t('events.incident.new_count', { count: announce })}
      </p>
      <Field id="incident-minimum" label={t('events.incident.minimum')}>
        {(aria) => (
          <select {...aria} value={minimum} onChange={(e) => setMinimum(e.currentTarget.value)}>
            <option value="">{t('events.incident.any_severity')}</option>
            {SEVERITIES.map((x) => (
              <option value={x} key={x}>
                {t(`events.severity.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {at > 0 && (
        <p class="hint" data-updated={at}>
          {t('events.incident.updated', { time: formatTime(new Date(at)) })}
        </p>
      )}
      <FormError error={error} />
      {!incidents && !error && <p role="status">{t('app.loading')}</p>}
      {incidents &&
        (incidents.length === 0 ? (
          <p>{t('events.incident.empty')}</p>
        ) : (
          <ol class="plain incidents">
            {incidents.map((i) => (
              <li key={i.id} data-incident={i.id} class={fresh.has(i.id) ? 'incident fresh' : 'incident'}>
                <div class="incident-head">
                  <Severity severity={i.severity} /> <strong>{t(`events.type.${i.type}`)}</strong> — <DateTime iso={i.occurred_at} /> ·{' '}
                  <Code>{i.venue}</Code> · <Code>{i.owner}</Code>
                  {fresh.has(i.id) && <span class="badge badge-ok">{t('events.incident.fresh')}</span>}
                </div>
                <p>
                  <Text>{i.description}</Text>
                </p>
                {i.persons.length > 0 && (
                  <p class="sub">
                    {t('events.field.persons')}:{' '}
                    {i.persons.map((p, k) => (
                      <span key={k}>
                        {k > 0 && ', '}
                        <Name>{p}</Name>
                      </span>
                    ))}
                  </p>
                )}
              </li>
            ))}
          </ol>
        ))}
      {can(me, 'incident.create') && <IncidentForm event={event} onLogged={() => setRound((r) => r + 1)} />}
    </section>
  );
}

function Deployments({ event, me }: { event: MajorEvent; me: ScreenProps['me'] }) {
  const [saveError, setSaveError] = useState<unknown>(null);
  const empty = { officer_name: '', role: '', venue: event.venues[0]?.code ?? '', starts_at: '', ends_at: '', contact: '' };
  const [v, setV] = useState(empty);
  // A failed load's error goes once a later one (after a deployment is
  // added) succeeds.
  const deployments = useLoad(
    (signal) =>
      call<{ deployments: Deployment[] }>('GET', `/api/v1/events/${encodeURIComponent(event.id)}/deployments`, { purpose: PURPOSE, signal }).then(
        (r) => r.deployments,
      ),
    [event.id],
  );
  const list = deployments.data;
  const error = deployments.loading ? null : deployments.error;
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaveError(null);
    try {
      await call('POST', `/api/v1/events/${encodeURIComponent(event.id)}/deployments`, {
        body: { ...v, starts_at: toRfc3339(v.starts_at), ends_at: toRfc3339(v.ends_at) },
        purpose: PURPOSE,
      });
      setV(empty);
      deployments.reload();
    } catch (x) {
      setSaveError(x);
    }
  };
  const text = (k: 'officer_name' | 'role' | 'contact') => (
    <Field id={`deployment-${k.replace(/_/g, '-')}`} label={t(`events.field.${k}`)} error={fieldMsg(saveError, k)}>
      {(aria) => <input {...aria} type="text" dir="auto" value={v[k]} onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <section class="card" aria-labelledby="deployments-title">
      <h2 id="deployments-title">{t('events.deployments.title')}</h2>
      <FormError error={error} />
      {list &&
        (list.length === 0 ? (
          <p>{t('events.deployments.empty')}</p>
        ) : (
          <ul class="plain deployments">
            {list.map((d) => (
              <li key={d.id} data-deployment={d.id}>
                <Name>{d.officer_name}</Name> (<Code>{d.agency}</Code>){d.role && <> — <Text>{d.role}</Text></>} · <Code>{d.venue}</Code> ·{' '}
                <DateTime iso={d.starts_at} /> → <DateTime iso={d.ends_at} />
                {d.contact && (
                  <>
                    {' '}
                    · <Text>{d.contact}</Text>
                  </>
                )}
              </li>
            ))}
          </ul>
        ))}
      {can(me, 'event.deploy') && (
        <form class="form" onSubmit={submit} noValidate aria-labelledby="deployment-form-title">
          <h3 id="deployment-form-title">{t('events.deployments.new')}</h3>
          <FormError error={saveError} />
          <div class="row">
            {text('officer_name')}
            {text('role')}
          </div>
          <Field id="deployment-venue" label={t('events.field.venue')} error={fieldMsg(saveError, 'venue')}>
            {(aria) => (
              <select {...aria} value={v.venue} onChange={(e) => setV({ ...v, venue: e.currentTarget.value })}>
                {event.venues.map((x) => (
                  <option value={x.code} key={x.code} data-raw="">
                    {x.name} ({x.code})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div class="row">
            <Field id="deployment-starts-at" label={t('events.field.starts_at')} error={fieldMsg(saveError, 'starts_at')}>
              {(aria) => <input {...aria} type="datetime-local" value={v.starts_at} onInput={(e) => setV({ ...v, starts_at: e.currentTarget.value })} />}
            </Field>
            <Field id="deployment-ends-at" label={t('events.field.ends_at')} error={fieldMsg(saveError, 'ends_at')}>
              {(aria) => <input {...aria} type="datetime-local" value={v.ends_at} onInput={(e) => setV({ ...v, ends_at: e.currentTarget.value })} />}
            </Field>
          </div>
          {text('contact')}
          <div class="actions">
            <button type="submit">{t('events.deployments.submit')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

function Campaigns({ event, me }: { event: MajorEvent; me: ScreenProps['me'] }) {
  const { data: list, error } = useLoad(
    (signal) => call<{ campaigns: Campaign[] }>('GET', `/api/v1/events/${encodeURIComponent(event.id)}/campaigns`, { signal }).then((r) => r.campaigns),
    [event.id],
  );
  const [v, setV] = useState({ name: '', purpose: '' });
  const [file, setFile] = useState<File | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [fileMissing, setFileMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ part: number; parts: number } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaveError(null);
    setFileMissing(!file);
    if (!file) return;
    setBusy(true);
    try {
      const c = await uploadCampaign(event.id, { name: v.name, purpose: v.purpose, csv: await file.text() }, (part, parts) =>
        setSent({ part, parts }),
      );
      navigate(pathFor(CAMPAIGN, { id: c.id }));
    } catch (x) {
      setSaveError(x);
    } finally {
      setBusy(false);
      setSent(null);
    }
  };
  const inputErr = fileMissing ? t('events.error.file_missing') : fieldMsg(saveError, 'input');
  return (
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{t('events.campaigns.title')}</h2>
      <FormError error={error} />
      {list &&
        (list.length === 0 ? (
          <p>{t('events.campaigns.empty')}</p>
        ) : (
          <ul class="plain campaigns">
            {list.map((c) => (
              <li key={c.id} data-campaign={c.id}>
                <Link href={pathFor(CAMPAIGN, { id: c.id })}>
                  <Text>{c.name}</Text>
                </Link>{' '}
                <span class="badge badge-muted">{t(`events.campaign.state.${c.state}`)}</span> <Progress value={c.progress * 100} />{' '}
                <span class="sub-inline">{t('events.campaign.pending', { count: c.counts.pending })}</span>
              </li>
            ))}
          </ul>
        ))}
      {can(me, 'campaign.create') && can(me, 'screen.batch') && (
        <form class="form" onSubmit={submit} noValidate aria-labelledby="campaign-form-title">
          <h3 id="campaign-form-title">{t('events.campaigns.new')}</h3>
          <FormError error={saveError} />
          <Field id="campaign-name" label={t('events.field.campaign_name')} error={fieldMsg(saveError, 'name')}>
            {(aria) => <input {...aria} type="text" dir="auto" value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} />}
          </Field>
          <Field id="campaign-purpose" label={t('events.field.purpose')} error={fieldMsg(saveError, 'purpose') ?? fieldMsg(saveError, 'X-Purpose')}>
            {(aria) => <input {...aria} type="text" dir="auto" value={v.purpose} onInput={(e) => setV({ ...v, purpose: e.currentTarget.value })} />}
          </Field>
          <Field id="campaign-file" label={t('events.field.file')} hint={<Msg k="events.hint.file" values={{ columns: <Code>id,name,aliases,birth_date,nationality,gender,document</Code> }} />} error={inputErr}>
            {(aria) => <input {...aria} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />}
          </Field>
          {sent && (
            <p role="status" class="upload-progress">
              {t('events.campaigns.uploading', { part: formatNumber(sent.part), count: sent.parts })}
            </p>
          )}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('events.campaigns.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function EventDetail({ params, me }: ScreenProps) {
  const { data: event, error, set: setEvent } = useLoad(
    (signal) => call<MajorEvent>('GET', `/api/v1/events/${encodeURIComponent(params.id)}`, { signal }),
    [params.id],
  );
  const [editing, setEditing] = useState(false);
  if (error) return <ErrorNotice error={error} />;
  if (!event) return <p role="status">{t('app.loading')}</p>;
  const editable = !event.copy && can(me, 'event.update');
  return (
    <>
      <p class="breadcrumb">
        <Link href={EVENTS}>{t('events.back')}</Link>
      </p>
      <h1 tabIndex={-1}>
        <Text>{event.name}</Text>
      </h1>
      {event.copy && (
        <p class="notice">
          <Msg k="events.copy" values={{ host: <Code>{event.host}</Code> }} />
        </p>
      )}
      <dl class="facts">
        <dt>{t('events.field.dates')}</dt>
        <dd>{t('events.dates', { from: formatDay(event.starts_on), to: formatDay(event.ends_on) })}</dd>
        <dt>{t('events.field.host')}</dt>
        <dd>
          <Code>{event.host}</Code>
        </dd>
        <dt>{t('events.field.partners')}</dt>
        <dd>{event.partners.length ? <Agencies codes={event.partners} /> : t('events.none')}</dd>
        <dt>{t('events.field.venues')}</dt>
        <dd>
          <ul class="plain venues">
            {event.venues.map((x) => (
              <li key={x.code}>
                <Text>{x.name}</Text> (<Code>{x.code}</Code>){x.city && <> — <Text>{x.city}</Text></>}
              </li>
            ))}
          </ul>
        </dd>
        {event.description && (
          <>
            <dt>{t('events.field.description')}</dt>
            <dd>
              <Text>{event.description}</Text>
            </dd>
          </>
        )}
      </dl>
      {editable && !editing && (
        <div class="actions">
          <button type="button" class="secondary" id="event-edit" onClick={() => setEditing(true)}>
            {t('events.edit.open')}
          </button>
        </div>
      )}
      {editable && editing && (
        <>
          <EventForm
            me={me}
            initial={event}
            onSaved={(e) => {
              setEvent(e);
              setEditing(false);
            }}
          />
          <div class="actions">
            <button type="button" class="secondary" id="event-edit-cancel" onClick={() => setEditing(false)}>
              {t('events.edit.cancel')}
            </button>
          </div>
        </>
      )}
      {can(me, 'incident.read') && <IncidentLog event={event} me={me} />}
      <Deployments event={event} me={me} />
      {can(me, 'campaign.read') && <Campaigns event={event} me={me} />}
    </>
  );
}
