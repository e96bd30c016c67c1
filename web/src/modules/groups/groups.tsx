// Working groups: the list (filtered by domain, in the address), creating
// one, and one group with its members (local users by id, partners' members
// by reference), its case file (links to alerts, message threads, assistance
// requests and events) and its tasks (owner agency, assignee, due date,
// state). Only the owner agency's node changes a group: a partner's copy is
// read-only. Every change sends the whole editable record at the version
// seen (409 when stale: reload offered).

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, ErrorNotice, Field, Link, Msg, Name, Pages } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, navigate, onNavigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { ASSISTANCE_REQUEST } from '../assistance/paths';
import { THREAD } from '../messages/paths';
import { EVENT } from '../events/paths';
import {
  Agencies,
  FormError,
  AgencyChooser,
  CooperationTabs,
  dayOf,
  DOMAINS,
  formatDay,
  LINK_KINDS,
  MEMBER_ROLES,
  memberError,
  parseCodes,
  PURPOSE,
  Section,
  State,
  TASK_STATES,
  type CaseLink,
  type Member,
  type Task,
  usePartners,
  type WorkingGroup,
} from './common';
import { GROUP, GROUPS, NEW_GROUP } from './paths';

const PAGE_SIZE = 200;

interface GroupPage {
  groups: WorkingGroup[];
  page: number;
  page_size: number;
  total: number;
}

export function GroupList({ me }: ScreenProps) {
  const [search, setSearch] = useState(location.search);
  const [page, setPage] = useState(1);
  useEffect(() => onNavigate(() => setSearch(location.search)), []);
  const domain = new URLSearchParams(search).get('domain') ?? '';
  // A failed page's error goes once another page loads.
  const groups = useLoad(
    (signal) => call<GroupPage>('GET', '/api/v1/groups', { query: { page, page_size: PAGE_SIZE }, purpose: PURPOSE, signal }),
    [page],
  );
  const data = groups.data;
  const error = groups.loading ? null : groups.error;
  // The node lists every group; the domain filter applies to the page read.
  const shown = data ? data.groups.filter((g) => !domain || g.domain === domain) : [];
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('groups.title')}</h1>
        {can(me, 'group.create') && (
          <Link class="button" href={NEW_GROUP}>
            {t('groups.new')}
          </Link>
        )}
      </div>
      <CooperationTabs current="groups" />
      <p>{t('groups.list.text')}</p>
      <form class="filters" role="search" aria-label={t('groups.list.filter')} onSubmit={(e) => e.preventDefault()}>
        <Field id="groups-domain" label={t('groups.field.domain')}>
          {(aria) => (
            <select
              {...aria}
              value={domain}
              onChange={(e) => {
                const v = e.currentTarget.value;
                navigate(v ? `${GROUPS}?domain=${v}` : GROUPS);
              }}
            >
              <option value="">{t('groups.list.any_domain')}</option>
              {DOMAINS.map((d) => (
                <option value={d} key={d}>
                  {t(`groups.domain.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <FormError error={error} />
      {!data && !error && <p role="status">{t('app.loading')}</p>}
      {data && (
        <section aria-labelledby="groups-count">
          <h2 id="groups-count">{t('groups.list.count', { count: shown.length })}</h2>
          {shown.length === 0 ? (
            <p>{t('groups.list.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="groups-count">
              <table class="data groups">
                <thead>
                  <tr>
                    <th scope="col">{t('groups.field.name')}</th>
                    <th scope="col">{t('groups.field.domain')}</th>
                    <th scope="col">{t('groups.field.owner')}</th>
                    <th scope="col">{t('groups.field.agencies')}</th>
                    <th scope="col">{t('groups.field.tasks')}</th>
                    <th scope="col">{t('groups.field.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((g) => (
                    <tr key={g.id} data-group={g.id}>
                      <td>
                        <Link href={pathFor(GROUP, { id: g.id })}>
                          <Text>{g.name}</Text>
                        </Link>
                      </td>
                      <td>{t(`groups.domain.${g.domain}`)}</td>
                      <td>
                        <Code>{g.owner}</Code>
                      </td>
                      <td>
                        <Agencies codes={g.agencies} />
                      </td>
                      <td class="num">{t('groups.list.open_tasks', { count: g.tasks.filter((x) => x.state === 'open' || x.state === 'in_progress').length })}</td>
                      <td>
                        <State state={g.state} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pages page={data.page} pageSize={data.page_size} total={data.total} onPage={setPage} />
        </section>
      )}
    </>
  );
}

// ---- creating a group ---------------------------------------------------------

export function NewGroup({ me }: ScreenProps) {
  const partners = usePartners(can(me, 'partner.list'));
  const q = currentQuery();
  const [v, setV] = useState({ name: '', domain: q.get('domain') ?? '', description: '', agencies: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const err = (f: string) => memberError(error, 'groups', f);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const g = await call<WorkingGroup>('POST', '/api/v1/groups', {
        body: { name: v.name, domain: v.domain, description: v.description, agencies: parseCodes(v.agencies) },
        purpose: PURPOSE,
      });
      navigate(pathFor(GROUP, { id: g.id }));
    } catch (x) {
      setError(x);
      if (x instanceof ApiError && x.field) {
        const f = x.field.split(/[[.]/)[0];
        requestAnimationFrame(() => document.getElementById(`group-${f}`)?.focus());
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p class="breadcrumb">
        <Link href={GROUPS}>{t('groups.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('groups.new.title')}</h1>
      <FormError error={error} />
      <form class="form" onSubmit={submit} noValidate>
        <Field id="group-name" label={t('groups.field.name')} error={err('name')}>
          {(aria) => <input {...aria} type="text" dir="auto" value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} />}
        </Field>
        <Field id="group-domain" label={t('groups.field.domain')} error={err('domain')}>
          {(aria) => (
            <select {...aria} value={v.domain} onChange={(e) => setV({ ...v, domain: e.currentTarget.value })}>
              <option value="">{t('groups.choose')}</option>
              {DOMAINS.map((d) => (
                <option value={d} key={d}>
                  {t(`groups.domain.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="group-description" label={t('groups.field.description')} error={err('description')}>
          {(aria) => (
            <textarea {...aria} dir="auto" rows={3} value={v.description} onInput={(e) => setV({ ...v, description: e.currentTarget.value })} />
          )}
        </Field>
        <AgencyChooser id="group-agencies" label={t('groups.field.partner_agencies')} value={v.agencies} onChange={(agencies) => setV({ ...v, agencies })} error={err('agencies')} partners={partners} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('groups.new.submit')}
          </button>
          <Link class="button secondary" href={GROUPS}>
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

// ---- one group ----------------------------------------------------------------

// The editable members of a group, as PUT takes them.
function editable(g: WorkingGroup) {
  return {
    version: g.version,
    name: g.name,
    domain: g.domain,
    description: g.description,
    state: g.state,
    agencies: g.agencies,
    members: g.members.map((m) => ({ agency: m.agency, reference: m.reference, name: m.name, role: m.role || 'member' })),
    case_file: g.case_file.map((l) => ({ kind: l.kind, ref: l.ref, note: l.note })),
    tasks: g.tasks.map((x) => {
      const o: Record<string, unknown> = { title: x.title, owner_agency: x.owner_agency, assignee: x.assignee, state: x.state };
      if (x.id) o.id = x.id;
      if (x.due_at) o.due_at = x.due_at;
      return o;
    }),
  };
}

function linkHref(l: CaseLink): string | null {
  switch (l.kind) {
    case 'alert':
      return pathFor(ALERT, { id: l.ref });
    case 'thread':
      return pathFor(THREAD, { id: l.ref });
    case 'assistance_request':
      return pathFor(ASSISTANCE_REQUEST, { id: l.ref });
    case 'event':
      return pathFor(EVENT, { id: l.ref });
    default:
      return null;
  }
}

const EMPTY_TASK = { index: -1, title: '', owner_agency: '', assignee: '', due_at: '', state: 'open' };

export function GroupDetail({ params, me, agency }: ScreenProps) {
  const { data: group, error, reload, set: setGroup } = useLoad(
    (signal) => call<WorkingGroup>('GET', `/api/v1/groups/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }),
    [params.id],
  );
  const [saveError, setSaveError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [member, setMember] = useState({ agency: agency.code, reference: '', name: '', role: 'member' });
  const [link, setLink] = useState({ kind: 'alert', ref: '', note: '' });
  const [task, setTask] = useState({ ...EMPTY_TASK, owner_agency: agency.code });

  if (error) return <ErrorNotice error={error} />;
  if (!group) return <p role="status">{t('app.loading')}</p>;
  const own = group.owner === agency.code;
  const editing = own && can(me, 'group.update');
  const err = (f: string) => memberError(saveError, 'groups', f);
  // The message for a member of a list the node named ("tasks[0].due_at").
  const at = (list: string, member: string) =>
    saveError instanceof ApiError && new RegExp(`^${list}\\[\\d+\\]\\.${member}$`).test(saveError.field ?? '')
      ? t('app.error.field_invalid')
      : null;

  // Saves `change` applied to the group's editable members; true when saved.
  const save = async (change: (body: ReturnType<typeof editable>) => void, what: string): Promise<boolean> => {
    setSaveError(null);
    setDone('');
    const body = editable(group);
    change(body);
    try {
      const g = await call<WorkingGroup>('PUT', `/api/v1/groups/${encodeURIComponent(group.id)}`, { body, purpose: PURPOSE });
      setGroup(g);
      setDone(what);
      return true;
    } catch (x) {
      setSaveError(x);
      // Keyboard focus to the form field of the member the node named.
      const m = x instanceof ApiError ? /^(tasks|members|case_file)\[\d+\]\.(\w+)$/.exec(x.field ?? '') : null;
      if (m) {
        const ids: Record<string, string> = {
          'tasks.title': 'task-title',
          'tasks.owner_agency': 'task-owner',
          'tasks.assignee': 'task-assignee',
          'tasks.due_at': 'task-due',
          'members.agency': 'member-agency',
          'members.reference': 'member-reference',
          'members.name': 'member-name',
          'case_file.ref': 'link-ref',
          'case_file.kind': 'link-kind',
        };
        const target = ids[`${m[1]}.${m[2]}`];
        if (target) requestAnimationFrame(() => document.getElementById(target)?.focus());
      }
      return false;
    }
  };

  // A task's state through PUT /api/v1/groups/{id}/tasks/{task}: the
  // group's owner, or the agency carrying the task out (on a partner's
  // group, the change crosses to the owner).
  const setTaskState = async (task: string, state: string) => {
    setSaveError(null);
    setDone('');
    try {
      const g = await call<WorkingGroup>('PUT', `/api/v1/groups/${encodeURIComponent(group.id)}/tasks/${encodeURIComponent(task)}`, {
        body: { state },
        purpose: PURPOSE,
      });
      setGroup(g);
      setDone('task_state');
    } catch (x) {
      setSaveError(x);
    }
  };

  const stale = saveError instanceof ApiError && saveError.status === 409;
  return (
    <>
      <p class="breadcrumb">
        <Link href={GROUPS}>{t('groups.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Text>{group.name}</Text>
        </h1>
        <State state={group.state} />
      </div>
      {!own && (
        <p class="notice">
          <Msg k="groups.copy" values={{ owner: <Code>{group.owner}</Code> }} />
        </p>
      )}
      {done && (
        <p class="notice notice-ok" role="status">
          {t(`groups.done.${done}`)}
        </p>
      )}
      {saveError && <FormError error={saveError} />}
      {stale && (
        <p>
          <button type="button" class="secondary" onClick={reload}>
            {t('groups.reload')}
          </button>
        </p>
      )}
      <dl class="facts">
        <dt>{t('groups.field.domain')}</dt>
        <dd>{t(`groups.domain.${group.domain}`)}</dd>
        <dt>{t('groups.field.owner')}</dt>
        <dd>
          <Code>{group.owner}</Code>
        </dd>
        <dt>{t('groups.field.agencies')}</dt>
        <dd>
          <Agencies codes={group.agencies} />
        </dd>
        {group.description && (
          <>
            <dt>{t('groups.field.description')}</dt>
            <dd>
              <Text>{group.description}</Text>
            </dd>
          </>
        )}
      </dl>
      {editing && (
        <p>
          <button
            type="button"
            class="secondary"
            id="group-toggle-state"
            onClick={() => save((b) => (b.state = group.state === 'active' ? 'closed' : 'active'), 'state')}
          >
            {t(group.state === 'active' ? 'groups.close' : 'groups.reopen')}
          </button>
        </p>
      )}

      <Section id="group-tasks" title={t('groups.tasks.title')}>
        {group.tasks.length === 0 ? (
          <p>{t('groups.tasks.empty')}</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="group-tasks">
            <table class="data tasks">
              <thead>
                <tr>
                  <th scope="col">{t('groups.field.task')}</th>
                  <th scope="col">{t('groups.field.owner_agency')}</th>
                  <th scope="col">{t('groups.field.assignee')}</th>
                  <th scope="col">{t('groups.field.due_at')}</th>
                  <th scope="col" id="task-col-state">
                    {t('groups.field.state')}
                  </th>
                  {editing && <th scope="col">{t('groups.field.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {group.tasks.map((x: Task, i) => (
                  <tr key={x.id ?? i} data-task={x.title}>
                    <td id={`task-${i}-title`}>
                      <Text>{x.title}</Text>
                    </td>
                    <td>
                      <Code>{x.owner_agency}</Code>
                    </td>
                    <td>{x.assignee ? <Name>{x.assignee}</Name> : '—'}</td>
                    <td>{x.due_at ? <time dateTime={x.due_at}>{formatDay(x.due_at)}</time> : '—'}</td>
                    <td>
                      {editing || (x.id && x.owner_agency === agency.code && can(me, 'group.update')) ? (
                        <>
                        <label class="visually-hidden" for={`task-${i}-state`}>
                          {t('groups.field.state')}: <Text>{x.title}</Text>
                        </label>
                        <select
                          id={`task-${i}-state`}
                          class="task-state"
                          value={x.state}
                          onChange={(e) => {
                            const s = e.currentTarget.value;
                            if (x.id) void setTaskState(x.id, s);
                            else save((b) => (b.tasks[i].state = s), 'task_state');
                          }}
                        >
                          {TASK_STATES.map((s) => (
                            <option value={s} key={s}>
                              {t(`groups.state.${s}`)}
                            </option>
                          ))}
                        </select>
                        </>
                      ) : (
                        <State state={x.state} />
                      )}
                    </td>
                    {editing && (
                      <td>
                        <button
                          type="button"
                          class="secondary small"
                          id={`task-${i}-edit`}
                          aria-labelledby={`task-${i}-edit task-${i}-title`}
                          onClick={() => {
                            setTask({ index: i, title: x.title, owner_agency: x.owner_agency, assignee: x.assignee, due_at: dayOf(x.due_at), state: x.state });
                            requestAnimationFrame(() => document.getElementById('task-title')?.focus());
                          }}
                        >
                          {t('groups.edit')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editing && (
          <form
            class="form inline-form"
            aria-labelledby="task-form-title"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const entry: Record<string, unknown> = {
                title: task.title,
                owner_agency: task.owner_agency.trim().toUpperCase(),
                assignee: task.assignee,
                state: task.state,
              };
              if (task.due_at) entry.due_at = task.due_at;
              const ok = await save((b) => {
                if (task.index >= 0) {
                  const id = b.tasks[task.index].id;
                  b.tasks[task.index] = id ? { ...entry, id } : entry;
                } else {
                  b.tasks.push(entry);
                }
              }, task.index >= 0 ? 'task_updated' : 'task_added');
              if (ok) setTask({ ...EMPTY_TASK, owner_agency: agency.code });
            }}
          >
            <h3 id="task-form-title">{t(task.index >= 0 ? 'groups.tasks.edit' : 'groups.tasks.add')}</h3>
            <Field id="task-title" label={t('groups.field.task')} error={at('tasks', 'title')}>
              {(aria) => <input {...aria} type="text" dir="auto" value={task.title} onInput={(e) => setTask({ ...task, title: e.currentTarget.value })} />}
            </Field>
            <div class="row">
              <Field id="task-owner" label={t('groups.field.owner_agency')} error={at('tasks', 'owner_agency') && t('groups.error.owner_agency')}>
                {(aria) => (
                  <input {...aria} type="text" dir="ltr" spellcheck={false} value={task.owner_agency} onInput={(e) => setTask({ ...task, owner_agency: e.currentTarget.value.toUpperCase() })} />
                )}
              </Field>
              <Field id="task-assignee" label={t('groups.field.assignee')}>
                {(aria) => <input {...aria} type="text" dir="auto" value={task.assignee} onInput={(e) => setTask({ ...task, assignee: e.currentTarget.value })} />}
              </Field>
            </div>
            <div class="row">
              <Field id="task-due" label={t('groups.field.due_at')} error={at('tasks', 'due_at') && t('groups.error.due_at')}>
                {(aria) => <input {...aria} type="date" value={task.due_at} onInput={(e) => setTask({ ...task, due_at: e.currentTarget.value })} />}
              </Field>
              <Field id="task-state" label={t('groups.field.state')}>
                {(aria) => (
                  <select {...aria} value={task.state} onChange={(e) => setTask({ ...task, state: e.currentTarget.value })}>
                    {TASK_STATES.map((s) => (
                      <option value={s} key={s}>
                        {t(`groups.state.${s}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div class="actions">
              <button type="submit">{t(task.index >= 0 ? 'groups.tasks.save' : 'groups.tasks.add')}</button>
              {task.index >= 0 && (
                <button type="button" class="secondary" onClick={() => setTask({ ...EMPTY_TASK, owner_agency: agency.code })}>
                  {t('app.cancel')}
                </button>
              )}
            </div>
          </form>
        )}
      </Section>

      <Section id="group-members" title={t('groups.members.title')}>
        {group.members.length === 0 ? (
          <p>{t('groups.members.empty')}</p>
        ) : (
          <ul class="plain members">
            {group.members.map((m: Member) => (
              <li key={`${m.agency}/${m.reference}`}>
                <Name>{m.name}</Name> — <Code>{m.agency}</Code> · <Code>{m.reference}</Code>{' '}
                <span class="sub-inline">
                  {t(`groups.role.${m.role || 'member'}`)}
                  {m.agency === agency.code ? ` · ${t('groups.members.local')}` : ` · ${t('groups.members.partner')}`}
                </span>
              </li>
            ))}
          </ul>
        )}
        {editing && (
          <form
            class="form inline-form"
            aria-labelledby="member-form-title"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const ok = await save(
                (b) => b.members.push({ ...member, agency: member.agency.trim().toUpperCase() }),
                'member_added',
              );
              if (ok) setMember({ agency: agency.code, reference: '', name: '', role: 'member' });
            }}
          >
            <h3 id="member-form-title">{t('groups.members.add')}</h3>
            <p class="hint">{t('groups.members.hint')}</p>
            <div class="row">
              <Field id="member-agency" label={t('groups.field.agency')} error={at('members', 'agency')}>
                {(aria) => (
                  <input {...aria} type="text" dir="ltr" spellcheck={false} value={member.agency} onInput={(e) => setMember({ ...member, agency: e.currentTarget.value.toUpperCase() })} />
                )}
              </Field>
              <Field id="member-reference" label={t('groups.field.reference')} error={at('members', 'reference')}>
                {(aria) => <input {...aria} type="text" dir="ltr" spellcheck={false} value={member.reference} onInput={(e) => setMember({ ...member, reference: e.currentTarget.value })} />}
              </Field>
            </div>
            <div class="row">
              <Field id="member-name" label={t('groups.field.member_name')} error={at('members', 'name')}>
                {(aria) => <input {...aria} type="text" dir="auto" value={member.name} onInput={(e) => setMember({ ...member, name: e.currentTarget.value })} />}
              </Field>
              <Field id="member-role" label={t('groups.field.role')}>
                {(aria) => (
                  <select {...aria} value={member.role} onChange={(e) => setMember({ ...member, role: e.currentTarget.value })}>
                    {MEMBER_ROLES.map((r) => (
                      <option value={r} key={r}>
                        {t(`groups.role.${r}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div class="actions">
              <button type="submit">{t('groups.members.add')}</button>
            </div>
          </form>
        )}
      </Section>

      <Section id="group-case-file" title={t('groups.case_file.title')}>
        {group.case_file.length === 0 ? (
          <p>{t('groups.case_file.empty')}</p>
        ) : (
          <ul class="plain case-file">
            {group.case_file.map((l) => {
              const href = linkHref(l);
              return (
                <li key={`${l.kind}/${l.ref}`} data-kind={l.kind}>
                  <span class="badge badge-muted">{t(`groups.link.${l.kind}`)}</span>{' '}
                  {href ? (
                    <Link href={href}>
                      <Code>{l.ref}</Code>
                    </Link>
                  ) : (
                    <Code>{l.ref}</Code>
                  )}
                  {l.note && (
                    <>
                      {' — '}
                      <Text>{l.note}</Text>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {editing && (
          <form
            class="form inline-form"
            aria-labelledby="link-form-title"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const ok = await save((b) => b.case_file.push({ kind: link.kind, ref: link.ref.trim(), note: link.note }), 'link_added');
              if (ok) setLink({ kind: link.kind, ref: '', note: '' });
            }}
          >
            <h3 id="link-form-title">{t('groups.case_file.add')}</h3>
            <div class="row">
              <Field id="link-kind" label={t('groups.field.link_kind')}>
                {(aria) => (
                  <select {...aria} value={link.kind} onChange={(e) => setLink({ ...link, kind: e.currentTarget.value })}>
                    {LINK_KINDS.map((k) => (
                      <option value={k} key={k}>
                        {t(`groups.link.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="link-ref" label={t('groups.field.link_ref')} error={err('case_file')}>
                {(aria) => <input {...aria} type="text" dir="ltr" spellcheck={false} value={link.ref} onInput={(e) => setLink({ ...link, ref: e.currentTarget.value })} />}
              </Field>
            </div>
            <Field id="link-note" label={t('groups.field.note')}>
              {(aria) => <input {...aria} type="text" dir="auto" value={link.note} onInput={(e) => setLink({ ...link, note: e.currentTarget.value })} />}
            </Field>
            <div class="actions">
              <button type="submit">{t('groups.case_file.add')}</button>
            </div>
          </form>
        )}
      </Section>
    </>
  );
}
