// The home page's card of unread messages: how many messages the user has
// not read, in how many threads, and a link to those threads. One read of
// the thread list (unread only); a user with more unread threads than one
// page holds sees "at least".

import { call } from '../../app/api';
import { errorMessage, Link } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import { useLoad } from '../../app/use_load';
import type { ThreadPage } from './common';
import { messagesHref, PURPOSE } from './links';

// The node's largest page.
const SCAN = 100;

export function UnreadMessages() {
  const { data: page, error } = useLoad(
    (signal) => call<ThreadPage>('GET', '/api/v1/threads', { query: { unread: 'true', page_size: SCAN }, purpose: PURPOSE, signal }),
    [],
  );
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
      {error ? (
        <p class="notice notice-error">{errorMessage(error)}</p>
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
