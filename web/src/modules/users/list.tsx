// The list of the node's user accounts, a page at a time (admin, supervisor).

import { useState } from 'preact/hooks';
import { call, type User } from '../../app/api';
import { Code, DateTime, ErrorNotice, Link, Name } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { PURPOSE, UserStatus } from './common';
import { NEW_USER, USER } from './paths';

const PAGE_SIZE = 50;

interface UserPage {
  users: User[];
  next_after: string | null;
}

export function UsersList({ me }: ScreenProps) {
  // Cursors of the pages seen so far: cursors[i] opens page i ("" = first).
  const [cursors, setCursors] = useState<string[]>(['']);
  const index = cursors.length - 1;
  const loaded = useLoad(
    (signal) =>
      call<UserPage>('GET', '/api/v1/users', {
        query: { limit: PAGE_SIZE, after: cursors[index] || undefined },
        purpose: PURPOSE,
        signal,
      }),
    [cursors],
  );
  const page = loaded.data;
  // The failure of the page asked last, not shown while another loads.
  const error = loaded.loading ? null : loaded.error;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('users.title')}</h1>
        {can(me, 'user.create') && (
          <Link class="button" href={NEW_USER}>
            {t('users.new')}
          </Link>
        )}
      </div>
      <ErrorNotice error={error} />
      {!page && !error && <p role="status">{t('app.loading')}</p>}
      {page && (
        <>
          <table class="data">
            <caption>{t('users.list.caption', { page: index + 1, count: page.users.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.field.display_name')}</th>
                <th scope="col">{t('users.field.username')}</th>
                <th scope="col">{t('users.field.role')}</th>
                <th scope="col">{t('users.field.status')}</th>
                <th scope="col">{t('users.field.created')}</th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link href={pathFor(USER, { id: u.id })}>
                      <Name>{u.display_name}</Name>
                    </Link>
                  </td>
                  <td>
                    <Code>{u.username}</Code>
                  </td>
                  <td>{t(`app.role.${u.role}`)}</td>
                  <td>
                    <UserStatus user={u} />
                  </td>
                  <td>
                    <DateTime iso={u.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.users.length === 0 && <p>{t('users.list.empty')}</p>}
          {(index > 0 || page.next_after) && (
          <div class="pager">
            <button
              type="button"
              class="secondary"
              disabled={index === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t('app.pager.previous')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={!page.next_after}
              onClick={() => page.next_after && setCursors([...cursors, page.next_after])}
            >
              {t('app.pager.next')}
            </button>
          </div>
          )}
        </>
      )}
    </>
  );
}
