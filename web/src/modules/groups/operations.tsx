// Joint operations: the list, creating one (supervisor), one operation
// (code name, period, area, participating agencies and units, liaison
// officers, linked working group, state) with its edit form for the owner
// agency, and the after-action report once it is completed.

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, Link, Msg, Name } from '../../app/components';
import { t } from '../../app/i18n';
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
  dayOf,
  formatDay,
  memberError,
  OPERATION_STATES,
  parseCodes,
  PURPOSE,
  Section,
  State,
  usePartners,
  type Operation,
  type WorkingGroup,
} from './common';
import { GROUP, NEW_OPERATION, OPERATION, OPERATIONS } from './paths';

interface OperationPage {
  operations: Operation[];
  page: number;
  page_size: number;
  total: number;
}

export function OperationList({ me }: ScreenProps) {
  const { data, error } = useLoad(
    (signal) => call<OperationPage>('GET', '/api/v1/operations', { query: { page_size: 200 }, purpose: PURPOSE, signal }),
    [],
  );
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('groups.operations.title')}</h1>
        {can(me, 'operation.create') && (
          <Link class="button" href={NEW_OPERATION}>
            {t('groups.operations.new')}
          </Link>
        )}
      </div>
      <CooperationTabs current="operations" />
      <p>{t('groups.operations.text')}</p>
      <FormError error={error} />
      {!data && !error && <p role="status">{t('app.loading')}</p>}
      {data &&
        (data.operations.length === 0 ? (
          <p>{t('groups.operations.empty')}</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label={t('groups.operations.title')}>
            <table class="data operations">
              <thead>
                <tr>
                  <th scope="col">{t('groups.field.code_name')}</th>
                  <th scope="col">{t('groups.field.period')}</th>
                  <th scope="col">{t('groups.field.area')}</th>
                  <th scope="col">{t('groups.field.agencies')}</th>
                  <th scope="col">{t('groups.field.state')}</th>
                </tr>
              </thead>
              <tbody>
                {data.operations.map((o) => (
                  <tr key={o.id} data-operation={o.id}>
                    <td>
                      <Link href={pathFor(OPERATION, { id: o.id })}>
                        <Text>{o.code_name}</Text>
                      </Link>
                    </td>
                    <td>{t('groups.period', { from: formatDay(o.starts_at), to: formatDay(o.ends_at) })}</td>
                    <td>
                      <Text>{o.area}</Text>
                    </td>
                    <td>
                      <Agencies codes={o.agencies} />
                    </td>
                    <td>
                      <State state={o.state} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

// ---- repeated rows (units, liaison officers) ------------------------------------

type RowValue = Record<string, string>;

// A list of small records edited as rows of labelled fields, with buttons to
// add and remove a row; the node's error on "<name>[i].<member>" shows on
// that field.
function Rows({
  name,
  legend,
  members,
  rows,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  members: { key: string; label: string; code?: boolean }[];
  rows: RowValue[];
  onChange: (rows: RowValue[]) => void;
  error: unknown;
}) {
  const empty = Object.fromEntries(members.map((m) => [m.key, ''])) as RowValue;
  return (
    <fieldset class="group repeat" id={`op-${name}`} tabIndex={-1}>
      <legend>{legend}</legend>
      {rows.map((r, i) => (
        <div class="row" key={i}>
          {members.map((m) => (
            <Field
              key={m.key}
              id={`op-${name}-${i}-${m.key}`}
              label={m.label}
              error={error instanceof ApiError && error.field === `${name}[${i}].${m.key}` ? t('app.error.field_invalid') : null}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="text"
                  dir={m.code ? 'ltr' : 'auto'}
                  spellcheck={!m.code}
                  value={r[m.key]}
                  onInput={(e) => {
                    const next = rows.slice();
                    next[i] = { ...r, [m.key]: m.code ? e.currentTarget.value.toUpperCase() : e.currentTarget.value };
                    onChange(next);
                  }}
                />
              )}
            </Field>
          ))}
          <button type="button" class="secondary small" aria-label={t('groups.rows.remove_of', { what: legend, n: i + 1 })} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            {t('groups.rows.remove')}
          </button>
        </div>
      ))}
      <button type="button" class="secondary small" id={`op-${name}-add`} onClick={() => onChange([...rows, { ...empty }])}>
        {t('groups.rows.add', { what: legend })}
      </button>
    </fieldset>
  );
}

// ---- the form (create and edit) ------------------------------------------------

interface FormValues {
  code_name: string;
  description: string;
  starts_at: string;
  ends_at: string;
  area: string;
  agencies: string;
  group_id: string;
  state: string;
  units: RowValue[];
  liaison_officers: RowValue[];
}

function valuesOf(o: Operation | null, ownAgency: string): FormValues {
  if (!o) {
    return { code_name: '', description: '', starts_at: '', ends_at: '', area: '', agencies: '', group_id: '', state: 'planned', units: [], liaison_officers: [] };
  }
  return {
    code_name: o.code_name,
    description: o.description,
    starts_at: dayOf(o.starts_at),
    ends_at: dayOf(o.ends_at),
    area: o.area,
    agencies: o.agencies.filter((a) => a !== ownAgency).join(', '),
    group_id: o.group_id ?? '',
    state: o.state,
    units: o.units.map((u) => ({ ...u })),
    liaison_officers: o.liaison_officers.map((l) => ({ ...l })),
  };
}

function bodyOf(v: FormValues, o: Operation | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code_name: v.code_name,
    description: v.description,
    starts_at: v.starts_at,
    ends_at: v.ends_at,
    area: v.area,
    agencies: parseCodes(v.agencies),
    state: v.state,
    units: v.units,
    liaison_officers: v.liaison_officers,
  };
  if (v.group_id) body.group_id = v.group_id;
  if (o) {
    body.version = o.version;
    if (o.report) body.report = { summary: o.report.summary, results: o.report.results, lessons: o.report.lessons };
  }
  return body;
}

const NO_GROUPS: WorkingGroup[] = [];

// The working groups to link, when the user may read them.
function useGroups(allowed: boolean): WorkingGroup[] {
  const { data } = useLoad(
    allowed
      ? (signal) =>
          call<{ groups: WorkingGroup[] }>('GET', '/api/v1/groups', { query: { page_size: 200 }, purpose: PURPOSE, signal }).then((r) => r.groups)
      : null,
    [allowed],
  );
  return data ?? NO_GROUPS;
}

function OperationForm({ me, agency, operation, onSaved, onCancel }: { me: ScreenProps['me']; agency: ScreenProps['agency']; operation: Operation | null; onSaved: (o: Operation) => void; onCancel?: () => void }) {
  const [v, setV] = useState(() => valuesOf(operation, agency.code));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const groups = useGroups(can(me, 'group.read'));
  const partners = usePartners(can(me, 'partner.list'));
  const err = (f: string) => memberError(error, 'groups', f);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const o = operation
        ? await call<Operation>('PUT', `/api/v1/operations/${encodeURIComponent(operation.id)}`, { body: bodyOf(v, operation), purpose: PURPOSE })
        : await call<Operation>('POST', '/api/v1/operations', { body: bodyOf(v, null), purpose: PURPOSE });
      onSaved(o);
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && x.field) {
        const f = x.field;
        const direct = document.getElementById(`op-${f.replace(/\[(\d+)\]\./, '-$1-')}`);
        const target = direct ?? document.getElementById(`op-${f.split(/[[.]/)[0].replace(/_/g, '-')}`);
        requestAnimationFrame(() => target?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  const text = (k: 'code_name' | 'area' | 'starts_at' | 'ends_at', type = 'text') => (
    <Field id={`op-${k.replace(/_/g, '-')}`} label={t(`groups.field.${k}`)} error={err(k)}>
      {(aria) => <input {...aria} type={type} dir={type === 'text' ? 'auto' : undefined} value={v[k]} onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <form class="form operation-form" onSubmit={submit} noValidate>
      <FormError error={error} />
      {text('code_name')}
      <Field id="op-description" label={t('groups.field.description')} error={err('description')}>
        {(aria) => <textarea {...aria} dir="auto" rows={3} value={v.description} onInput={(e) => setV({ ...v, description: e.currentTarget.value })} />}
      </Field>
      <div class="row">
        {text('starts_at', 'date')}
        {text('ends_at', 'date')}
      </div>
      {text('area')}
      <AgencyChooser id="op-agencies" label={t('groups.field.partner_agencies')} value={v.agencies} onChange={(agencies) => setV({ ...v, agencies })} error={err('agencies')} partners={partners} />
      <Rows
        name="units"
        legend={t('groups.field.units')}
        members={[
          { key: 'agency', label: t('groups.field.agency'), code: true },
          { key: 'name', label: t('groups.field.unit_name') },
        ]}
        rows={v.units}
        onChange={(units) => setV({ ...v, units })}
        error={error}
      />
      <Rows
        name="liaison_officers"
        legend={t('groups.field.liaison_officers')}
        members={[
          { key: 'agency', label: t('groups.field.agency'), code: true },
          { key: 'reference', label: t('groups.field.reference'), code: true },
          { key: 'name', label: t('groups.field.member_name') },
          { key: 'posted_with', label: t('groups.field.posted_with'), code: true },
        ]}
        rows={v.liaison_officers}
        onChange={(liaison_officers) => setV({ ...v, liaison_officers })}
        error={error}
      />
      <Field id="op-group-id" label={t('groups.field.group')} error={err('group_id')}>
        {(aria) =>
          groups.length > 0 ? (
            <select {...aria} value={v.group_id} onChange={(e) => setV({ ...v, group_id: e.currentTarget.value })}>
              <option value="">{t('groups.none')}</option>
              {groups.map((g) => (
                <option value={g.id} key={g.id} data-raw="">
                  {g.name}
                </option>
              ))}
            </select>
          ) : (
            <input {...aria} type="text" dir="ltr" spellcheck={false} value={v.group_id} onInput={(e) => setV({ ...v, group_id: e.currentTarget.value.trim() })} />
          )
        }
      </Field>
      <Field id="op-state" label={t('groups.field.state')} error={err('state')}>
        {(aria) => (
          <select {...aria} value={v.state} onChange={(e) => setV({ ...v, state: e.currentTarget.value })}>
            {OPERATION_STATES.map((s) => (
              <option value={s} key={s}>
                {t(`groups.state.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t(operation ? 'groups.save' : 'groups.operations.create')}
        </button>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        ) : (
          <Link class="button secondary" href={OPERATIONS}>
            {t('app.cancel')}
          </Link>
        )}
      </div>
    </form>
  );
}

export function NewOperation({ me, agency }: ScreenProps) {
  return (
    <>
      <p class="breadcrumb">
        <Link href={OPERATIONS}>{t('groups.operations.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('groups.operations.new_title')}</h1>
      <OperationForm me={me} agency={agency} operation={null} onSaved={(o) => navigate(`${pathFor(OPERATION, { id: o.id })}?saved=created`)} />
    </>
  );
}

// ---- one operation --------------------------------------------------------------

function Report({ operation, onSaved }: { operation: Operation; onSaved: (o: Operation) => void }) {
  const [v, setV] = useState({ summary: operation.report?.summary ?? '', results: operation.report?.results ?? '', lessons: operation.report?.lessons ?? '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body = { ...bodyOf(valuesOf(operation, ''), operation), agencies: operation.agencies, report: v };
    try {
      onSaved(await call<Operation>('PUT', `/api/v1/operations/${encodeURIComponent(operation.id)}`, { body, purpose: PURPOSE }));
    } catch (x) {
      setError(x);
    }
  };
  const area = (k: keyof typeof v) => (
    <Field id={`report-${k}`} label={t(`groups.report.${k}`)} error={error instanceof ApiError && (error.field === `report.${k}` || (k === 'summary' && error.field === 'report')) ? t('app.error.field_invalid') : null}>
      {(aria) => <textarea {...aria} dir="auto" rows={3} value={v[k]} onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <form class="form" onSubmit={submit} noValidate aria-labelledby="report-title">
      <FormError error={error} />
      {area('summary')}
      {area('results')}
      {area('lessons')}
      <div class="actions">
        <button type="submit">{t('groups.report.submit')}</button>
      </div>
    </form>
  );
}

export function OperationDetail({ params, me, agency }: ScreenProps) {
  const { data: op, error, set: setOp } = useLoad(
    (signal) => call<Operation>('GET', `/api/v1/operations/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }),
    [params.id],
  );
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState(() => new URLSearchParams(location.search).get('saved') ?? '');
  if (error) return <ErrorNotice error={error} />;
  if (!op) return <p role="status">{t('app.loading')}</p>;
  const own = op.owner === agency.code;
  const mayEdit = own && can(me, 'operation.update');
  return (
    <>
      <p class="breadcrumb">
        <Link href={OPERATIONS}>{t('groups.operations.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Text>{op.code_name}</Text>
        </h1>
        <State state={op.state} />
      </div>
      {done && (
        <p class="notice notice-ok" role="status">
          {t(done === 'created' ? 'groups.done.operation_created' : 'groups.done.saved')}
        </p>
      )}
      {!own && (
        <p class="notice">
          <Msg k="groups.copy" values={{ owner: <Code>{op.owner}</Code> }} />
        </p>
      )}
      {editing ? (
        <OperationForm
          me={me}
          agency={agency}
          operation={op}
          onCancel={() => setEditing(false)}
          onSaved={(o) => {
            setOp(o);
            setEditing(false);
            setDone('saved');
          }}
        />
      ) : (
        <>
          <dl class="facts operation-facts">
            <dt>{t('groups.field.period')}</dt>
            <dd>{t('groups.period', { from: formatDay(op.starts_at), to: formatDay(op.ends_at) })}</dd>
            <dt>{t('groups.field.area')}</dt>
            <dd>
              <Text>{op.area}</Text>
            </dd>
            <dt>{t('groups.field.owner')}</dt>
            <dd>
              <Code>{op.owner}</Code>
            </dd>
            <dt>{t('groups.field.agencies')}</dt>
            <dd>
              <Agencies codes={op.agencies} />
            </dd>
            <dt>{t('groups.field.group')}</dt>
            <dd>
              {op.group_id ? (
                <Link href={pathFor(GROUP, { id: op.group_id })}>
                  <Code>{op.group_id}</Code>
                </Link>
              ) : (
                t('groups.none')
              )}
            </dd>
            {op.description && (
              <>
                <dt>{t('groups.field.description')}</dt>
                <dd>
                  <Text>{op.description}</Text>
                </dd>
              </>
            )}
          </dl>
          {mayEdit && (
            <p>
              <button type="button" id="operation-edit" onClick={() => setEditing(true)}>
                {t('groups.edit')}
              </button>
            </p>
          )}
          <Section id="op-units-title" title={t('groups.field.units')}>
            {op.units.length === 0 ? (
              <p>{t('groups.none')}</p>
            ) : (
              <ul class="plain">
                {op.units.map((u, i) => (
                  <li key={i}>
                    <Code>{u.agency}</Code> — <Text>{u.name}</Text>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section id="op-liaison-title" title={t('groups.field.liaison_officers')}>
            {op.liaison_officers.length === 0 ? (
              <p>{t('groups.none')}</p>
            ) : (
              <ul class="plain">
                {op.liaison_officers.map((l, i) => (
                  <li key={i}>
                    <Name>{l.name}</Name> (<Code>{l.agency}</Code> · <Code>{l.reference}</Code>) — {t('groups.posted_with')} <Code>{l.posted_with}</Code>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <section class="card" aria-labelledby="report-title">
            <h2 id="report-title">{t('groups.report.title')}</h2>
            {op.report && (
              <dl class="facts report">
                <dt>{t('groups.report.summary')}</dt>
                <dd>
                  <Text>{op.report.summary}</Text>
                </dd>
                {op.report.results && (
                  <>
                    <dt>{t('groups.report.results')}</dt>
                    <dd>
                      <Text>{op.report.results}</Text>
                    </dd>
                  </>
                )}
                {op.report.lessons && (
                  <>
                    <dt>{t('groups.report.lessons')}</dt>
                    <dd>
                      <Text>{op.report.lessons}</Text>
                    </dd>
                  </>
                )}
                {op.report.submitted_at && (
                  <>
                    <dt>{t('groups.report.submitted_at')}</dt>
                    <dd>
                      <DateTime iso={op.report.submitted_at} />
                    </dd>
                  </>
                )}
              </dl>
            )}
            {op.state !== 'completed' ? (
              <p>{t('groups.report.not_yet')}</p>
            ) : (
              mayEdit && <Report operation={op} onSaved={(o) => { setOp(o); setDone('saved'); }} />
            )}
          </section>
        </>
      )}
    </>
  );
}
