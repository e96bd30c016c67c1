// One training programme: its topic, provider, languages and description
// (a partner's programme is a read-only copy, shown with the agency that
// provides it), and its sessions with their dates, place, capacity and
// state. The owner's supervisors and administrators (training.manage) edit
// the programme and add sessions.

import { useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Link } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Languages, Owner, PURPOSE, State, type Programme, type Session } from './common';
import { ProgrammeForm, SessionForm } from './forms';
import { SESSION, TRAINING } from './paths';

type Detail = Programme & { sessions: Session[] };

export function ProgrammeDetail({ me, params }: ScreenProps) {
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  // The message key of the last change made, announced in a status line.
  const [done, setDone] = useState('');

  const { data: p, error, reload } = useLoad(
    (signal) => call<Detail>('GET', `/api/v1/training/programmes/${encodeURIComponent(params.id)}`, { purpose: PURPOSE, signal }),
    [params.id],
  );

  const ours = !!p && p.owner === me.agency;
  const manage = ours && can(me, 'training.manage');

  return (
    <>
      <p class="breadcrumb">
        <Link href={TRAINING}>{t('training.back')}</Link>
      </p>
      {error && !p && <ErrorNotice error={error} />}
      {!p && !error && <p role="status">{t('app.loading')}</p>}
      {p && (
        <>
          <h1 tabIndex={-1}>
            <bdi data-raw="">{p.title}</bdi>
          </h1>
          {done && (
            <p class="notice notice-ok" role="status">
              {t(done)}
            </p>
          )}
          {!ours && <p class="notice">{t('training.programme.read_only')}</p>}
          {editing ? (
            <section class="card" aria-labelledby="programme-edit-title">
              <h2 id="programme-edit-title">{t('training.programme.edit')}</h2>
              <ProgrammeForm
                programme={p}
                onSaved={() => {
                  setEditing(false);
                  setDone('training.done.saved');
                  reload();
                }}
                onCancel={() => setEditing(false)}
              />
            </section>
          ) : (
            <dl class="facts programme-facts">
              <dt>{t('training.field.topic')}</dt>
              <dd data-field="topic">{t(`training.topic.${p.topic}`)}</dd>
              <dt>{t('training.field.provider')}</dt>
              <dd data-field="provider">
                <Owner owner={p.owner} self={me.agency} />
              </dd>
              <dt>{t('training.field.languages')}</dt>
              <dd data-field="languages">
                <Languages codes={p.languages} />
              </dd>
              {ours && (
                <>
                  <dt>{t('training.field.share_with')}</dt>
                  <dd data-field="share_with">
                    {p.share_with.length === 0 ? (
                      <span class="sub-inline">{t('training.not_shared')}</span>
                    ) : (
                      p.share_with.map((c) => (
                        <span key={c} class="code-item">
                          <Code>{c}</Code>{' '}
                        </span>
                      ))
                    )}
                  </dd>
                </>
              )}
              <dt>{t('training.field.description')}</dt>
              <dd class="text" data-field="description">
                {p.description ? <bdi data-raw="">{p.description}</bdi> : <span class="sub-inline">{t('training.none')}</span>}
              </dd>
              <dt>{t('training.field.updated_at')}</dt>
              <dd>
                <DateTime iso={p.updated_at} />
              </dd>
            </dl>
          )}
          {manage && !editing && (
            <p>
              <button type="button" class="secondary" id="programme-edit" onClick={() => setEditing(true)}>
                {t('training.programme.edit')}
              </button>
            </p>
          )}

          <h2>{t('training.sessions.title')}</h2>
          {p.sessions.length === 0 ? (
            <p class="notice">{t('training.sessions.empty')}</p>
          ) : (
            <div class="table-scroll">
              <table class="data sessions">
                <caption class="visually-hidden">{t('training.sessions.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('training.field.starts_at')}</th>
                    <th scope="col">{t('training.field.ends_at')}</th>
                    <th scope="col">{t('training.field.place')}</th>
                    <th scope="col">{t('training.field.capacity')}</th>
                    <th scope="col">{t('training.field.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.sessions.map((s) => (
                    <tr key={s.id} data-session={s.id}>
                      <td>
                        <Link href={pathFor(SESSION, { id: s.id })}>
                          <DateTime iso={s.starts_at} />
                        </Link>
                      </td>
                      <td>
                        <DateTime iso={s.ends_at} />
                      </td>
                      <td>
                        <bdi data-raw="">{s.place}</bdi>
                      </td>
                      <td class="num">{formatNumber(s.capacity)}</td>
                      <td>
                        <State state={s.state} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {manage &&
            (adding ? (
              <section class="card" aria-labelledby="session-new-title">
                <h2 id="session-new-title">{t('training.session.new')}</h2>
                <SessionForm
                  programmeId={p.id}
                  onSaved={() => {
                    setAdding(false);
                    setDone('training.done.session_added');
                    reload();
                  }}
                  onCancel={() => setAdding(false)}
                />
              </section>
            ) : (
              <p>
                <button type="button" id="session-new" onClick={() => setAdding(true)}>
                  {t('training.session.new')}
                </button>
              </p>
            ))}
        </>
      )}
    </>
  );
}
