// The joint action plan: the list of plans (and creating one), and one
// plan's road map as a time line: objectives → actions → milestones on an
// axis of months, each with its rolled-up progress, what is late flagged in
// colour AND words with an icon, and the indicators' target against what was
// measured. This agency's own objectives and actions are editable (state,
// progress, milestones, measured values); a partner's are read-only — each
// agency's node alone changes its records.
//
// Direction of time: in Arabic the whole page is mirrored, and so is the
// axis — time flows from right to left, as the text reads and as every bar
// on the page grows from the line's start. The month labels are a CSS grid
// (mirrored by dir="rtl" itself) and the SVG tracks compute x from the
// inline start; dates are written by Intl in the chosen locale.

import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, Link } from '../../app/components';
import { formatNumber, isRtl, locale, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import {
  Agencies,
  FormError,
  AgencyChooser,
  CooperationTabs,
  formatDay,
  ITEM_STATES,
  LateFlag,
  memberError,
  parseCodes,
  Progress,
  PURPOSE,
  Section,
  State,
  usePartners,
  type Plan,
  type PlanItem,
  type Roadmap,
  type RoadmapObjective,
} from './common';
import { PLAN } from './paths';

interface PlanPage {
  plans: Plan[];
  page: number;
  page_size: number;
  total: number;
}

export function PlanList({ me }: ScreenProps) {
  const { data, error } = useLoad(
    (signal) => call<PlanPage>('GET', '/api/v1/plans', { query: { page_size: 200 }, purpose: PURPOSE, signal }),
    [],
  );
  const [v, setV] = useState({ title: '', description: '', agencies: '', starts_at: '', ends_at: '' });
  const [saveError, setSaveError] = useState<unknown>(null);
  const partners = usePartners(can(me, 'partner.list'));
  const err = (f: string) => memberError(saveError, 'groups', f);
  const create = async (e: Event) => {
    e.preventDefault();
    setSaveError(null);
    const body: Record<string, unknown> = { title: v.title, description: v.description, agencies: parseCodes(v.agencies) };
    if (v.starts_at) body.starts_at = v.starts_at;
    if (v.ends_at) body.ends_at = v.ends_at;
    try {
      const p = await call<Plan>('POST', '/api/v1/plans', { body, purpose: PURPOSE });
      navigate(pathFor(PLAN, { id: p.id }));
    } catch (x) {
      setSaveError(x);
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('groups.plans.title')}</h1>
      <CooperationTabs current="plans" />
      <p>{t('groups.plans.text')}</p>
      <FormError error={error} />
      {!data && !error && <p role="status">{t('app.loading')}</p>}
      {data &&
        (data.plans.length === 0 ? (
          <p>{t('groups.plans.empty')}</p>
        ) : (
          <ul class="plain plans">
            {data.plans.map((p) => (
              <li key={p.id} data-plan={p.id}>
                <Link href={pathFor(PLAN, { id: p.id })}>
                  <Text>{p.title}</Text>
                </Link>{' '}
                <State state={p.state} /> <Code>{p.owner}</Code>
                {p.starts_at && p.ends_at && (
                  <span class="sub-inline"> {t('groups.period', { from: formatDay(p.starts_at), to: formatDay(p.ends_at) })}</span>
                )}
              </li>
            ))}
          </ul>
        ))}
      {can(me, 'plan.create') && (
        <Section id="plan-new" title={t('groups.plans.new')}>
          <FormError error={saveError} />
          <form class="form" onSubmit={create} noValidate>
            <Field id="plan-title" label={t('groups.field.title')} error={err('title')}>
              {(aria) => <input {...aria} type="text" dir="auto" value={v.title} onInput={(e) => setV({ ...v, title: e.currentTarget.value })} />}
            </Field>
            <Field id="plan-description" label={t('groups.field.description')}>
              {(aria) => <textarea {...aria} dir="auto" rows={2} value={v.description} onInput={(e) => setV({ ...v, description: e.currentTarget.value })} />}
            </Field>
            <AgencyChooser id="plan-agencies" label={t('groups.field.partner_agencies')} value={v.agencies} onChange={(agencies) => setV({ ...v, agencies })} error={err('agencies')} partners={partners} />
            <div class="row">
              <Field id="plan-starts" label={t('groups.field.starts_at')} error={err('starts_at')}>
                {(aria) => <input {...aria} type="date" value={v.starts_at} onInput={(e) => setV({ ...v, starts_at: e.currentTarget.value })} />}
              </Field>
              <Field id="plan-ends" label={t('groups.field.ends_at')} error={err('ends_at')}>
                {(aria) => <input {...aria} type="date" value={v.ends_at} onInput={(e) => setV({ ...v, ends_at: e.currentTarget.value })} />}
              </Field>
            </div>
            <div class="actions">
              <button type="submit">{t('groups.plans.create')}</button>
            </div>
          </form>
        </Section>
      )}
    </>
  );
}

// ---- the time line ---------------------------------------------------------------

const WIDTH = 1000;

interface Axis {
  start: number;
  end: number;
  months: Date[];
}

function monthStart(ms: number): Date {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

// Whole months from the earliest to the latest date of the plan (its period,
// every due date, and now).
function axisOf(r: Roadmap): Axis {
  const times: number[] = [Date.parse(r.generated_at)];
  const add = (iso: string | null | undefined) => {
    if (!iso) return;
    const v = Date.parse(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
    if (!Number.isNaN(v)) times.push(v);
  };
  add(r.plan.starts_at);
  add(r.plan.ends_at);
  for (const o of r.objectives) {
    add(o.due_at);
    for (const a of o.actions) {
      add(a.due_at);
      for (const m of a.milestones ?? []) add(m.due_at);
    }
  }
  for (const a of r.unassigned_actions) add(a.due_at);
  const first = monthStart(Math.min(...times));
  const lastDate = monthStart(Math.max(...times));
  const months: Date[] = [];
  for (let d = first; d <= lastDate && months.length < 120; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    months.push(d);
  }
  const end = new Date(Date.UTC(lastDate.getUTCFullYear(), lastDate.getUTCMonth() + 1, 1)).getTime();
  return { start: first.getTime(), end, months };
}

// x of a time on the track, from the inline start (the right in Arabic).
function xOf(axis: Axis, iso: string | null | undefined, rtl: boolean): number | null {
  if (!iso) return null;
  const v = Date.parse(iso);
  if (Number.isNaN(v)) return null;
  const x = ((v - axis.start) / (axis.end - axis.start)) * WIDTH;
  return rtl ? WIDTH - x : x;
}

function MonthHeader({ axis }: { axis: Axis }) {
  const month = new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' });
  const withYear = new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const days = axis.months.map((m) => new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0)).getUTCDate());
  // At most about eight labels: every second or third month on a long plan;
  // the year with the first month and each January.
  const step = Math.max(1, Math.ceil(axis.months.length / 8));
  return (
    <div class="months" aria-hidden="true" style={{ gridTemplateColumns: days.map((d) => `${d}fr`).join(' ') }}>
      {axis.months.map((m, i) => (
        <span key={m.getTime()}>
          {i % step === 0 ? (i === 0 || m.getUTCMonth() < step ? withYear : month).format(m) : '\u00a0'}
        </span>
      ))}
    </div>
  );
}

// One item's track: a bar from the plan's start to its due date filled by
// its progress, its milestones as diamonds (a late one as a red square with
// a cross), today as a line.
function Track({ axis, item, now, start }: { axis: Axis; item: PlanItem; now: string; start: string }) {
  const rtl = isRtl();
  const due = xOf(axis, item.due_at, rtl);
  const from = xOf(axis, start, rtl) ?? (rtl ? WIDTH : 0);
  const today = xOf(axis, now, rtl);
  const lo = due === null ? null : Math.min(from, due);
  const hi = due === null ? null : Math.max(from, due);
  const filled = lo !== null && hi !== null ? ((hi - lo) * Math.max(0, Math.min(100, item.progress))) / 100 : 0;
  return (
    <svg class="track" viewBox={`0 0 ${WIDTH} 24`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
      {axis.months.map((m) => {
        const x = xOf(axis, m.toISOString(), rtl) ?? 0;
        return <line key={m.getTime()} x1={x} x2={x} y1={0} y2={24} class="grid" />;
      })}
      {lo !== null && hi !== null && (
        <>
          <rect x={lo} y={7} width={Math.max(1, hi - lo)} height={10} class={item.late ? 'span late' : 'span'} />
          <rect x={rtl ? hi - filled : lo} y={7} width={filled} height={10} class="done" />
        </>
      )}
      {(item.milestones ?? []).map((m, i) => {
        const x = xOf(axis, m.due_at, rtl);
        if (x === null) return null;
        return m.late ? (
          <rect key={i} x={x - 5} y={7} width={10} height={10} class="milestone late" />
        ) : (
          <path key={i} d={`M ${x} 5 L ${x + 6} 12 L ${x} 19 L ${x - 6} 12 Z`} class={m.state === 'done' ? 'milestone done' : 'milestone'} />
        );
      })}
      {today !== null && <line x1={today} x2={today} y1={0} y2={24} class="today" />}
    </svg>
  );
}

function Indicators({ item }: { item: PlanItem }) {
  if (!item.indicators?.length) return null;
  return (
    <ul class="plain indicators">
      {item.indicators.map((i) => (
        <li key={i.name} data-indicator={i.name}>
          <Text>{i.name}</Text>:{' '}
          {t('groups.indicator.value', {
            measured: formatNumber(i.measured),
            target: formatNumber(i.target),
          })}{' '}
          {i.unit && <Text>{i.unit}</Text>}{' '}
          <Progress value={i.target > 0 ? Math.min(100, (i.measured / i.target) * 100) : 0} />
        </li>
      ))}
    </ul>
  );
}

// The editable members of an action or objective, as PUT takes them.
function itemBody(item: PlanItem) {
  const body: Record<string, unknown> = {
    version: item.version,
    title: item.title,
    description: item.description,
    state: item.state,
    progress: item.own_progress ?? item.progress,
    indicators: item.indicators.map((i) => {
      const o: Record<string, unknown> = { name: i.name, unit: i.unit, target: i.target, measured: i.measured };
      if (i.measured_at) o.measured_at = i.measured_at;
      return o;
    }),
  };
  if (item.due_at) body.due_at = item.due_at;
  if (item.kind === 'action') {
    // The objective is fixed at creation: PUT refuses objective_id.
    body.milestones = (item.milestones ?? []).map((m) => {
      const o: Record<string, unknown> = { title: m.title, state: m.state, progress: m.progress };
      if (m.id) o.id = m.id;
      if (m.due_at) o.due_at = m.due_at;
      return o;
    });
  }
  return body;
}

// The edit form of one of this agency's items: state, own progress, each
// milestone's state and progress, each indicator's measured value.
function EditItem({ planId, item, onSaved, onCancel }: { planId: string; item: PlanItem; onSaved: () => void; onCancel: () => void }) {
  const [body, setBody] = useState(() => itemBody(item));
  const [error, setError] = useState<unknown>(null);
  const milestones = (body.milestones as Record<string, unknown>[] | undefined) ?? [];
  const indicators = body.indicators as Record<string, unknown>[];
  const base = `edit-${item.id}`;
  const fieldErr = (f: string) => (error instanceof ApiError && error.field === f ? t('app.error.field_invalid') : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await call('PUT', `/api/v1/plans/${encodeURIComponent(planId)}/${item.kind}s/${encodeURIComponent(item.id)}`, { body, purpose: PURPOSE });
      onSaved();
    } catch (x) {
      setError(x);
    }
  };
  const num = (v: string) => (v === '' ? 0 : Number(v));
  return (
    <form class="form edit-item" onSubmit={submit} noValidate aria-labelledby={`title-${item.id}`}>
      <FormError error={error} />
      <div class="row">
        <Field id={`${base}-state`} label={t('groups.field.state')} error={fieldErr('state')}>
          {(aria) => (
            <select {...aria} value={body.state as string} onChange={(e) => setBody({ ...body, state: e.currentTarget.value })}>
              {ITEM_STATES.map((s) => (
                <option value={s} key={s}>
                  {t(`groups.state.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${base}-progress`} label={t('groups.field.own_progress')} error={fieldErr('progress')}>
          {(aria) => (
            <input {...aria} type="number" min={0} max={100} step={1} value={String(body.progress)} onInput={(e) => setBody({ ...body, progress: num(e.currentTarget.value) })} />
          )}
        </Field>
      </div>
      {milestones.map((m, i) => (
        <fieldset class="group" key={i}>
          <legend>
            <Text>{String(m.title)}</Text>
          </legend>
          <div class="row">
            <Field id={`${base}-m${i}-state`} label={t('groups.field.state')} error={fieldErr(`milestones[${i}].state`)}>
              {(aria) => (
                <select
                  {...aria}
                  value={m.state as string}
                  onChange={(e) => {
                    const next = milestones.slice();
                    next[i] = { ...m, state: e.currentTarget.value };
                    setBody({ ...body, milestones: next });
                  }}
                >
                  {ITEM_STATES.map((s) => (
                    <option value={s} key={s}>
                      {t(`groups.state.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`${base}-m${i}-progress`} label={t('groups.field.progress')} error={fieldErr(`milestones[${i}].progress`)}>
              {(aria) => (
                <input
                  {...aria}
                  type="number"
                  min={0}
                  max={100}
                  value={String(m.progress)}
                  onInput={(e) => {
                    const next = milestones.slice();
                    next[i] = { ...m, progress: num(e.currentTarget.value) };
                    setBody({ ...body, milestones: next });
                  }}
                />
              )}
            </Field>
          </div>
        </fieldset>
      ))}
      {indicators.map((ind, i) => (
        <Field key={i} id={`${base}-i${i}`} label={t('groups.indicator.measured_of', { name: String(ind.name) })} error={fieldErr(`indicators[${i}].measured`)}>
          {(aria) => (
            <input
              {...aria}
              type="number"
              min={0}
              value={String(ind.measured)}
              onInput={(e) => {
                const next = indicators.slice();
                next[i] = { ...ind, measured: num(e.currentTarget.value), measured_at: new Date().toISOString().slice(0, 19) + 'Z' };
                setBody({ ...body, indicators: next });
              }}
            />
          )}
        </Field>
      ))}
      <div class="actions">
        <button type="submit">{t('groups.save')}</button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

interface RowProps {
  item: PlanItem;
  level: 'objective' | 'action';
  axis: Axis;
  roadmap: Roadmap;
  editable: boolean;
  editing: string;
  setEditing: (id: string) => void;
  reload: () => void;
}

function Row({ item, level, axis, roadmap, editable, editing, setEditing, reload }: RowProps) {
  const start = roadmap.plan.starts_at ?? item.created_at;
  return (
    <li class={`timeline-row timeline-${level}${item.late ? ' is-late' : ''}`} data-item={item.id} data-kind={level} data-late={item.late ? 'true' : 'false'}>
      <div class="timeline-label">
        <span class="timeline-title" id={`title-${item.id}`}>
          <Text>{item.title}</Text>
        </span>{' '}
        <State state={item.state} /> {item.late && <LateFlag />}
        <span class="sub">
          <Code>{item.owner}</Code>
          {item.due_at && <> · {t('groups.due', { date: formatDay(item.due_at) })}</>}
          {!editable && <> · {t('groups.roadmap.read_only')}</>}
        </span>
        <Progress value={item.progress} labelledBy={`title-${item.id}`} />
        {(item.milestones ?? []).length > 0 && (
          <ul class="plain milestones">
            {(item.milestones ?? []).map((m, i) => (
              <li key={m.id ?? i} data-milestone={m.title} data-late={m.late ? 'true' : 'false'}>
                <span aria-hidden="true">{m.late ? '⚠' : m.state === 'done' ? '◆' : '◇'} </span>
                <Text>{m.title}</Text> <span class="sub-inline">{m.due_at && formatDay(m.due_at)}</span> <State state={m.state} />{' '}
                {m.late && <LateFlag />}
              </li>
            ))}
          </ul>
        )}
        <Indicators item={item} />
        {editable && editing !== item.id && (
          <button type="button" class="secondary small" id={`edit-${item.id}`} aria-labelledby={`edit-${item.id} title-${item.id}`} onClick={() => setEditing(item.id)}>
            {t('groups.edit')}
          </button>
        )}
        {editable && editing === item.id && (
          <EditItem
            planId={roadmap.plan.id}
            item={item}
            onCancel={() => setEditing('')}
            onSaved={() => {
              setEditing('');
              reload();
            }}
          />
        )}
      </div>
      <Track axis={axis} item={item} now={roadmap.generated_at} start={start} />
    </li>
  );
}

// Adding an objective, or an action under an objective (with an optional
// first milestone and indicator): this agency's own records.
function AddItem({ roadmap, onAdded }: { roadmap: Roadmap; onAdded: () => void }) {
  const [v, setV] = useState({ kind: 'objective', objective_id: '', title: '', due_at: '', milestone: '', milestone_due: '', indicator: '', target: '' });
  const [error, setError] = useState<unknown>(null);
  const fieldErr = (f: string) => (errorField(error) === f || errorField(error).startsWith(`${f}[`) ? t('app.error.field_invalid') : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { title: v.title };
    if (v.due_at) body.due_at = v.due_at;
    if (v.kind === 'action') {
      body.objective_id = v.objective_id;
      if (v.milestone) body.milestones = [{ title: v.milestone, ...(v.milestone_due ? { due_at: v.milestone_due } : {}) }];
      if (v.indicator) body.indicators = [{ name: v.indicator, target: Number(v.target || 0), measured: 0 }];
    }
    try {
      await call('POST', `/api/v1/plans/${encodeURIComponent(roadmap.plan.id)}/${v.kind === 'action' ? 'actions' : 'objectives'}`, { body, purpose: PURPOSE });
      setV({ ...v, title: '', due_at: '', milestone: '', milestone_due: '', indicator: '', target: '' });
      onAdded();
    } catch (x) {
      setError(x);
    }
  };
  const text = (k: keyof typeof v, label: string, type = 'text', field = k as string) => (
    <Field id={`add-${k}`} label={label} error={fieldErr(field)}>
      {(aria) => <input {...aria} type={type} dir={type === 'text' ? 'auto' : undefined} value={v[k]} onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <Section id="add-item" title={t('groups.roadmap.add')}>
      <FormError error={error} />
      <form class="form" onSubmit={submit} noValidate>
        <Field id="add-kind" label={t('groups.field.kind')}>
          {(aria) => (
            <select {...aria} value={v.kind} onChange={(e) => setV({ ...v, kind: e.currentTarget.value })}>
              <option value="objective">{t('groups.kind.objective')}</option>
              <option value="action">{t('groups.kind.action')}</option>
            </select>
          )}
        </Field>
        {v.kind === 'action' && (
          <Field id="add-objective" label={t('groups.kind.objective')} error={fieldErr('objective_id')}>
            {(aria) => (
              <select {...aria} value={v.objective_id} onChange={(e) => setV({ ...v, objective_id: e.currentTarget.value })}>
                <option value="">{t('groups.choose')}</option>
                {roadmap.objectives.map((o) => (
                  <option value={o.id} key={o.id} data-raw="">
                    {o.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {text('title', t('groups.field.title'))}
        {text('due_at', t('groups.field.due_at'), 'date')}
        {v.kind === 'action' && (
          <div class="row">
            {text('milestone', t('groups.field.milestone'), 'text', 'milestones')}
            {text('milestone_due', t('groups.field.milestone_due'), 'date', 'milestones')}
          </div>
        )}
        {v.kind === 'action' && (
          <div class="row">
            {text('indicator', t('groups.field.indicator'), 'text', 'indicators')}
            {text('target', t('groups.field.target'), 'number', 'indicators')}
          </div>
        )}
        <div class="actions">
          <button type="submit">{t('groups.roadmap.add_submit')}</button>
        </div>
      </form>
    </Section>
  );
}

function errorField(error: unknown): string {
  return error instanceof ApiError ? error.field ?? '' : '';
}

export function PlanDetail({ params, me, agency }: ScreenProps) {
  const { data: roadmap, error, reload } = useLoad(
    (signal) => call<Roadmap>('GET', `/api/v1/plans/${encodeURIComponent(params.id)}/roadmap`, { purpose: PURPOSE, signal }),
    [params.id],
  );
  const [editing, setEditing] = useState('');
  if (error) return <ErrorNotice error={error} />;
  if (!roadmap) return <p role="status">{t('app.loading')}</p>;
  const axis = axisOf(roadmap);
  const mayEdit = can(me, 'plan.update');
  const row = (item: PlanItem, level: 'objective' | 'action') => (
    <Row
      key={item.id}
      item={item}
      level={level}
      axis={axis}
      roadmap={roadmap}
      editable={mayEdit && item.owner === agency.code}
      editing={editing}
      setEditing={setEditing}
      reload={reload}
    />
  );
  const p = roadmap.plan;
  return (
    <>
      <p class="breadcrumb">
        <Link href="/plans">{t('groups.plans.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Text>{p.title}</Text>
        </h1>
        <State state={p.state} />
      </div>
      <dl class="facts">
        <dt>{t('groups.field.owner')}</dt>
        <dd>
          <Code>{p.owner}</Code>
        </dd>
        <dt>{t('groups.field.agencies')}</dt>
        <dd>
          <Agencies codes={p.agencies} />
        </dd>
        {p.starts_at && p.ends_at && (
          <>
            <dt>{t('groups.field.period')}</dt>
            <dd>{t('groups.period', { from: formatDay(p.starts_at), to: formatDay(p.ends_at) })}</dd>
          </>
        )}
        <dt>{t('groups.roadmap.overall')}</dt>
        <dd id="plan-progress">
          <Progress value={roadmap.progress} />
        </dd>
        <dt>{t('groups.roadmap.as_of')}</dt>
        <dd>
          <time dateTime={roadmap.generated_at}>{formatDay(roadmap.generated_at)}</time>
        </dd>
      </dl>
      {roadmap.late.length > 0 && (
        <section class="notice notice-error late-list" aria-labelledby="late-title">
          <h2 id="late-title">
            <span aria-hidden="true">⚠ </span>
            {t('groups.roadmap.late', { count: roadmap.late.length })}
          </h2>
          <ul>
            {roadmap.late.map((l) => (
              <li key={l.id} data-late-item={l.id} data-kind={l.kind}>
                {t(`groups.kind.${l.kind}`)}: <Text>{l.title}</Text> (<Code>{l.owner}</Code>) — <LateFlag days={l.days_late} />{' '}
                <span class="sub-inline">{t('groups.due', { date: formatDay(l.due_at) })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card timeline" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('groups.roadmap.title')}</h2>
        <p class="hint">{t('groups.roadmap.legend')}</p>
        <div class="timeline-head">
          <span class="timeline-label">{t('groups.roadmap.items')}</span>
          <MonthHeader axis={axis} />
        </div>
        {roadmap.objectives.length === 0 && roadmap.unassigned_actions.length === 0 ? (
          <p>{t('groups.roadmap.empty')}</p>
        ) : (
          <ul class="plain timeline-rows">
            {roadmap.objectives.map((o: RoadmapObjective) => (
              <Fragment key={o.id}>
                {row(o, 'objective')}
                {o.actions.map((a) => row(a, 'action'))}
              </Fragment>
            ))}
            {roadmap.unassigned_actions.map((a) => row(a, 'action'))}
          </ul>
        )}
      </section>
      {mayEdit && <AddItem roadmap={roadmap} onAdded={reload} />}
      <p class="hint">{t('groups.roadmap.dates_hint')}</p>
    </>
  );
}
