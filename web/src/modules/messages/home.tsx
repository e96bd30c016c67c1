// The home page's card of unread messages: how many messages the user has
// not read, in how many threads, and a link to those threads. One read of
// the thread list (unread only); a user with more unread threads than one
// page holds sees "at least".

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { errorMessage, Link } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ThreadPage } from './common';
import { messagesHref, PURPOSE } from './links';

// The node's largest page.
const SCAN = 100;

export function UnreadMessages() {
  const [state, setState] = useState<{ page?: ThreadPage; error?: unknown } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    call<ThreadPage>('GET', '/api/v1/threads', {
      query: { unread: 'true', page_size: SCAN },
      purpose: PURPOSE,
      signal: controller.signal,
    }).then(
      (page) => setState({ page }),
      (error) => {
        if (!controller.signal.aborted) setState({ error });
      },
    );
    return () => controller.abort();
  }, []);
  const page = state?.page;
  const messages = page ? page.threads.reduce((n, th) => n + th.unread, 0) : 0;
  const partial = page ? page.total > page.threads.length : false;
  return (
    <section
      class="card count-card unread-messages"
      aria-labelledby="home-unread-messages"
      data-count={page ? messages : ''}
      data-threads={page ? page.total : ''}
    >
      <h3 id="home-unread-messages">{t('messages.home.title')}</h3>
      {state?.error ? (
        <p class="notice notice-error">{errorMessage(state.error)}</p>
      ) : !page ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <>
          <p class="count">{partial ? t('messages.home.at_least', { n: formatNumber(messages) }) : formatNumber(messages)}</p>
          <p class="hint">{t('messages.home.threads', { count: page.total })}</p>
          <p>
            <Link href={messagesHref({ unread: messages > 0 })} id="home-unread-messages-link">
              {messages > 0 ? t('messages.home.link', { count: messages }) : t('messages.home.all')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
