// A partner's dead letters (GET /api/v1/federation/peers/{code}/dead-letters,
// action federation.read): envelopes the partner refused max_refusals times
// and that the node no longer sends. Only their metadata is shown (record,
// kind, version, when set aside, refusals, last refusal), never the content,
// which may hold personal data. Administrators (federation.outbox.manage)
// send one again, discard one (after a confirmation) or send them all again;
// every action is audited by the node.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import type { Me } from '../../app/api';
import { Code, DateTime, ErrorNotice, Pages } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import { can } from '../../app/permissions';

export const DEAD_PAGE_SIZE = 20;

export interface DeadLetter {
  id: string;
  recipient: string;
  kind: string;
  record_id: string;
  version: number;
  created_at: string;
  dead_at: string | null;
  refusals: number;
  attempts: number;
  last_error: string;
}

interface DeadLetterList {
  dead_letters: DeadLetter[];
  total: number;
}

function base(agency: string): string {
  return `/api/v1/federation/peers/${encodeURIComponent(agency)}/dead-letters`;
}

// `count` is the partner's dead letters as the health list says; `onChanged`
// asks the partners screen to read the figures again.
export function DeadLetters({
  agency,
  count,
  me,
  onChanged,
}: {
  agency: string;
  count: number;
  me: Me;
  onChanged: () => void;
}) {
  const manage = can(me, 'federation.outbox.manage');
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  const [list, setList] = useState<DeadLetterList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState('');  // id of the row whose discard awaits confirmation
  const [round, setRound] = useState(0);
  const id = `dead-${agency}`;

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    call<DeadLetterList>('GET', base(agency), {
      query: { offset: (page - 1) * DEAD_PAGE_SIZE, limit: DEAD_PAGE_SIZE },
      signal: controller.signal,
    }).then(
      (r) => {
        setList(r);
        setError(null);
      },
      (e) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [open, page, round, agency]);

  // The health list changed the count: read the list again when it is open.
  useEffect(() => {
    if (open && list && list.total !== count) setRound((r) => r + 1);
  }, [count]);

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      setDone(await what());
      setConfirming('');
      setRound((r) => r + 1);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const retry = (d: DeadLetter) =>
    act(async () => {
      await call<DeadLetter>('POST', `${base(agency)}/${encodeURIComponent(d.id)}/retry`);
      return t('admin.dead.done.retry');
    });
  const discard = (d: DeadLetter) =>
    act(async () => {
      await call<void>('DELETE', `${base(agency)}/${encodeURIComponent(d.id)}`);
      return t('admin.dead.done.discard');
    });
  const retryAll = () =>
    act(async () => {
      const r = await call<{ requeued: number }>('POST', `${base(agency)}/retry-all`);
      return t('admin.dead.done.retry_all', { count: r.requeued });
    });

  if (count === 0 && !open && !done) return null;
  return (
    <div class="dead-letters" data-dead-letters={agency}>
      <h3 id={`${id}-title`}>{t('admin.dead.title')}</h3>
      <p>{t('admin.dead.intro')}</p>
      {done && (
        <p class="notice notice-ok" role="status">
          {done}
        </p>
      )}
      <ErrorNotice error={error} />
      <div class="actions">
        <button
          type="button"
          class="secondary small"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          onClick={() => {
            setOpen(!open);
            setDone('');
          }}
        >
          {open ? t('admin.dead.hide') : t('admin.dead.show', { count })}
        </button>
        {manage && count > 0 && (
          <button type="button" class="small" data-action="retry-all" disabled={busy} onClick={retryAll}>
            {t('admin.dead.retry_all')}
          </button>
        )}
      </div>
      {open && (
        <div id={`${id}-list`}>
          {!list && !error && <p role="status">{t('app.loading')}</p>}
          {list && list.dead_letters.length === 0 && <p class="notice">{t('admin.dead.empty')}</p>}
          {list && list.dead_letters.length > 0 && (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
              <table class="data dead">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.dead.record')}</th>
                    <th scope="col">{t('admin.dead.kind')}</th>
                    <th scope="col">{t('admin.dead.version')}</th>
                    <th scope="col">{t('admin.dead.dead_at')}</th>
                    <th scope="col">{t('admin.dead.refusals')}</th>
                    <th scope="col">{t('admin.dead.last_error')}</th>
                    {manage && <th scope="col">{t('admin.dead.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.dead_letters.map((d) => (
                    <tr key={d.id} data-envelope={d.id}>
                      <td>
                        <Code>{d.record_id}</Code>
                      </td>
                      <td>
                        <Code>{d.kind}</Code>
                      </td>
                      <td data-field="version">{formatNumber(d.version)}</td>
                      <td>{d.dead_at ? <DateTime iso={d.dead_at} /> : ''}</td>
                      <td data-field="refusals">{formatNumber(d.refusals)}</td>
                      <td>
                        <bdi class="server-detail" lang="en" data-raw="">
                          {d.last_error}
                        </bdi>
                      </td>
                      {manage && (
                        <td class="actions">
                          {confirming === d.id ? (
                            <div class="confirm" role="group" aria-labelledby={`confirm-${d.id}`}>
                              <p id={`confirm-${d.id}`}>{t('admin.dead.discard_confirm')}</p>
                              <button
                                type="button"
                                class="danger small"
                                data-action="discard-confirm"
                                disabled={busy}
                                onClick={() => discard(d)}
                                autoFocus
                              >
                                {t('admin.dead.discard_yes')}
                              </button>{' '}
                              <button type="button" class="secondary small" onClick={() => setConfirming('')}>
                                {t('app.cancel')}
                              </button>
                            </div>
                          ) : (
                            <>
                              <button
                                type="button"
                                class="small"
                                data-action="retry"
                                disabled={busy}
                                onClick={() => retry(d)}
                              >
                                {t('admin.dead.retry')}
                              </button>{' '}
                              <button
                                type="button"
                                class="secondary small"
                                data-action="discard"
                                disabled={busy}
                                onClick={() => setConfirming(d.id)}
                              >
                                {t('admin.dead.discard')}
                              </button>
                            </>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {list && (
            <Pages page={page} pageSize={DEAD_PAGE_SIZE} total={list.total} onPage={setPage} />
          )}
        </div>
      )}
    </div>
  );
}
