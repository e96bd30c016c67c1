// The message threads the user may see, most recent activity first, with
// their unread counts, filtered by partner agency, handling code and unread;
// or, with words, the messages matching them (subject, text, attachment
// names; case, accents and Arabic short vowels ignored by the node). The
// query lives in the address. The list is read again only on demand
// ("Refresh"): every read is audited on the node.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { DateTime, ErrorNotice, Field, Link, Name, Pages } from '../../app/components';
import { formatNumber, formatTime, lang, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, onNavigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import {
  AgencyLabel,
  EvaluationView,
  HANDLING_CODES,
  HandlingBadge,
  LinkView,
  memberError,
  PURPOSE,
  useDirectory,
  type Directory,
  type SearchPage,
  type ThreadPage,
} from './common';
import { messagesHref, type ListQuery } from './links';
import { MESSAGES, NEW_MESSAGE, THREAD } from './paths';

const PAGE_SIZE = 25;

type Query = ListQuery;

function parse(search: string): Query {
  const s = new URLSearchParams(search);
  const code = s.get('handling_code') ?? '';
  return {
    q: (s.get('q') ?? '').trim(),
    agency: (s.get('agency') ?? '').trim().toUpperCase(),
    handling_code: (HANDLING_CODES as readonly string[]).includes(code) ? code : '',
    unread: s.get('unread') === 'true',
    page: Math.max(1, Number(s.get('page')) || 1),
  };
}

export { messagesHref } from './links';

// The address of a message in its thread.
export function messageHref(threadId: string, messageId: string): string {
  return `${pathFor(THREAD, { id: threadId })}#message-${messageId}`;
}

type Result = { threads?: ThreadPage; hits?: SearchPage; error?: unknown; at?: number };

export function MessagesList({ me, agency }: ScreenProps) {
  const [search, setSearch] = useState(location.search);
  const dir = useDirectory(me, agency);
  // The result of the query it answers (a new query never shows the
  // previous one's rows; "Refresh" reads the same one again), or its error.
  const loaded = useLoad<Result>(
    (signal) => {
      const query = parse(search);
      if (query.q) {
        return call<SearchPage>('GET', '/api/v1/messages/search', {
          query: { q: query.q, page: query.page, page_size: PAGE_SIZE },
          purpose: PURPOSE,
          signal,
        }).then((hits) => ({ hits, at: Date.now() }));
      }
      return call<ThreadPage>('GET', '/api/v1/threads', {
        query: {
          agency: query.agency || undefined,
          handling_code: query.handling_code || undefined,
          unread: query.unread ? 'true' : undefined,
          page: query.page,
          page_size: PAGE_SIZE,
        },
        purpose: PURPOSE,
        signal,
      }).then((threads) => ({ threads, at: Date.now() }));
    },
    [search],
    { keep: false },
  );
  const current: Result | null = loaded.error ? { error: loaded.error } : loaded.data;
  const q = parse(search);
  const [words, setWords] = useState(q.q);
  const [agencyText, setAgencyText] = useState(q.agency);
  useEffect(
    () =>
      onNavigate(() => {
        setSearch(location.search);
        const next = parse(location.search);
        setWords(next.q);
        setAgencyText(next.agency);
      }),
    [],
  );

  const go = (next: Partial<Query>) => navigate(messagesHref({ ...q, page: 1, ...next }));
  const agencies = dir.partners;
  const error = current?.error ?? null;
  const queryError = memberError(error, 'q') ?? memberError(error, 'agency') ?? memberError(error, 'handling_code');

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('messages.title')}</h1>
        {can(me, 'message.send') && (
          <Link class="button" href={NEW_MESSAGE}>
            {t('messages.new')}
          </Link>
        )}
      </div>
      <p>{t('messages.list.text')}</p>
      <form
        class="filters messages-search"
        role="search"
        aria-labelledby="messages-search-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          navigate(messagesHref({ q: words.trim() }));
        }}
      >
        <h2 id="messages-search-title">{t('messages.search.title')}</h2>
        <div class="search-row">
          <Field id="messages-q" label={t('messages.search.words')} hint={t('messages.search.hint')}>
            {(aria) => (
              <input
                {...aria}
                type="search"
                dir="auto"
                autoComplete="off"
                maxLength={500}
                value={words}
                onInput={(e) => setWords(e.currentTarget.value)}
              />
            )}
          </Field>
          <div class="actions">
            <button type="submit" id="messages-search">
              {t('messages.search.submit')}
            </button>
            {q.q && (
              <Link class="button secondary" href={MESSAGES}>
                {t('messages.search.clear')}
              </Link>
            )}
          </div>
        </div>
      </form>
      {!q.q && (
        <form class="filters" aria-labelledby="messages-filters-title" noValidate onSubmit={(e) => e.preventDefault()}>
          <h2 id="messages-filters-title">{t('messages.filters.title')}</h2>
          <div class="filter-grid">
            <Field id="messages-agency" label={t('messages.filters.agency')}>
              {(aria) =>
                agencies ? (
                  <select {...aria} value={q.agency} onChange={(e) => go({ agency: e.currentTarget.value })}>
                    <option value="">{t('messages.filters.any_agency')}</option>
                    {agencies.map((code) => (
                      <option value={code} key={code} data-raw="">
                        {dir.names[code]?.[lang()] || code} ({code})
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...aria}
                    type="text"
                    dir="ltr"
                    autoComplete="off"
                    spellcheck={false}
                    value={agencyText}
                    onInput={(e) => setAgencyText(e.currentTarget.value.toUpperCase())}
                    onChange={(e) => go({ agency: e.currentTarget.value.trim().toUpperCase() })}
                  />
                )
              }
            </Field>
            <Field id="messages-handling-code" label={t('messages.field.handling_code')}>
              {(aria) => (
                <select {...aria} value={q.handling_code} onChange={(e) => go({ handling_code: e.currentTarget.value })}>
                  <option value="">{t('messages.filters.any_code')}</option>
                  {HANDLING_CODES.map((c) => (
                    <option value={c} key={c}>
                      {c} — {t(`messages.handling.${c}.short`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div class="field field-check filter-check">
              <input
                id="messages-unread"
                type="checkbox"
                checked={q.unread}
                onChange={(e) => go({ unread: e.currentTarget.checked })}
              />
              <label for="messages-unread">{t('messages.filters.unread')}</label>
            </div>
          </div>
        </form>
      )}
      {error && (queryError ? <p class="notice notice-error">{queryError}</p> : <ErrorNotice error={error} />)}
      <div class="refresh">
        {current?.at && (
          <p class="hint" data-updated={current.at}>
            {t('messages.list.updated', { time: formatTime(new Date(current.at)) })}
          </p>
        )}
        <button type="button" class="secondary small" id="messages-refresh" onClick={loaded.reload}>
          {t('messages.refresh')}
        </button>
      </div>
      {!current && <p role="status">{t('app.loading')}</p>}
      {current?.threads && <Threads page={current.threads} dir={dir} onPage={(n) => go({ page: n })} />}
      {current?.hits && <Hits page={current.hits} dir={dir} words={q.q} onPage={(n) => go({ page: n })} />}
    </>
  );
}

function Threads({ page, dir, onPage }: { page: ThreadPage; dir: Directory; onPage: (n: number) => void }) {
  return (
    <section aria-labelledby="messages-results-title">
      <h2 id="messages-results-title">{t('messages.list.count', { count: page.total })}</h2>
      {page.threads.length === 0 ? (
        <p>{t('messages.list.empty')}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="messages-results-title">
          <table class="data threads">
            <caption>
              {t('messages.list.caption', {
                first: formatNumber((page.page - 1) * page.page_size + 1),
                last: formatNumber((page.page - 1) * page.page_size + page.threads.length),
                count: page.total,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('messages.field.subject')}</th>
                <th scope="col">{t('messages.thread.agencies')}</th>
                <th scope="col">{t('messages.field.handling_code')}</th>
                <th scope="col">{t('messages.thread.messages')}</th>
                <th scope="col">{t('messages.thread.last')}</th>
              </tr>
            </thead>
            <tbody>
              {page.threads.map((th) => (
                <tr key={th.id} data-thread={th.id} data-unread={th.unread} class={th.unread > 0 ? 'unread' : undefined}>
                  <td>
                    <Link href={pathFor(THREAD, { id: th.id })}>
                      <Text>{th.subject}</Text>
                    </Link>
                    {th.unread > 0 && (
                      <>
                        {' '}
                        <span class="badge badge-unread" data-unread={th.unread}>
                          {t('messages.list.unread', { count: th.unread })}
                        </span>
                      </>
                    )}
                    {th.link && (
                      <span class="sub">
                        <LinkView link={th.link} />
                      </span>
                    )}
                  </td>
                  <td>
                    <ul class="plain">
                      {th.agencies.map((a) => (
                        <li key={a}>
                          <AgencyLabel code={a} dir={dir} />
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <span class="badges">
                      {th.handling_codes.map((c) => (
                        <HandlingBadge code={c} key={c} />
                      ))}
                    </span>
                  </td>
                  <td class="num">{formatNumber(th.message_count)}</td>
                  <td>
                    <DateTime iso={th.last_message_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pages page={page.page} pageSize={page.page_size} total={page.total} onPage={onPage} />
    </section>
  );
}

function Hits({
  page,
  dir,
  words,
  onPage,
}: {
  page: SearchPage;
  dir: Directory;
  words: string;
  onPage: (n: number) => void;
}) {
  return (
    <section aria-labelledby="messages-results-title">
      <h2 id="messages-results-title">
        {t('messages.search.count', { count: page.total })}{' '}
        <bdi class="text" dir="auto" data-raw="">
          «{words}»
        </bdi>
      </h2>
      {page.results.length === 0 ? (
        <p>{t('messages.search.empty')}</p>
      ) : (
        <ol class="search-hits">
          {page.results.map((h) => (
            <li key={h.message_id} data-message={h.message_id} data-thread={h.thread_id}>
              <p class="hit-head">
                <Link href={messageHref(h.thread_id, h.message_id)}>
                  <Text>{h.subject}</Text>
                </Link>{' '}
                <HandlingBadge code={h.handling.code} /> <EvaluationView evaluation={h.evaluation} compact />
              </p>
              <p class="sub">
                <Name>{h.sender.display_name}</Name> · <AgencyLabel code={h.sender.agency} dir={dir} /> ·{' '}
                <DateTime iso={h.sent_at} />
              </p>
              <p class="excerpt">
                <Text>{h.excerpt}</Text>
              </p>
              {h.attachment_names.length > 0 && (
                <p class="sub">
                  {t('messages.search.attachments')}{' '}
                  {h.attachment_names.map((n, i) => (
                    <span key={i}>
                      {i > 0 && ', '}
                      <bdi data-raw="">{n}</bdi>
                    </span>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      <Pages page={page.page} pageSize={page.page_size} total={page.total} onPage={onPage} />
    </section>
  );
}
