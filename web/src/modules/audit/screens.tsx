// The audit log for auditors: entries newest first with filters and paging
// (the filters live in the address, so a view can be bookmarked and Back
// works), and verification of the hash chain (auditors and admins). The
// screen of the audit module (see index.ts), loaded in its own chunk the
// first time the user opens it.

import { useEffect, useState } from 'preact/hooks';
import { call, purposeText } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, fieldError, focusField, isFieldError, Link, Msg } from '../../app/components';
import { formatNumber, formatSeq, t } from '../../app/i18n';
import type { ScreenComponents, ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, navigate, onNavigate } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { AUDIT } from './paths';

// Stated with every read of the log (itself recorded in the log).
const PURPOSE = 'audit review (web interface)';
const PAGE_SIZES = [10, 25, 50, 100];
const DEFAULT_PAGE_SIZE = 50;
const TEXT_FILTERS = ['actor', 'action', 'object'] as const;
const TIME_FILTERS = ['from', 'to'] as const;
const EXAMPLES: Record<string, string> = {
  actor: 'user:ID:USERNAME, cli:root, system',
  action: 'user.create',
  object: 'user/ID',
};
const FILTER_FIELDS = [...TEXT_FILTERS, ...TIME_FILTERS, 'limit', 'before_seq'];

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  purpose: string;
  outcome: 'success' | 'denied' | 'failure';
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

interface EntryPage {
  entries: Entry[];
  next_before_seq: number | null;
}

interface Verification {
  ok: boolean;
  problem: string;
  first_broken_seq: number | null;
  reason: string;
  entries_checked: number;
  head_seq: number;
  head_hash: string;
}

// "2026-01-02T03:04" (a datetime-local value, local time) from RFC 3339.
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function Filters({ onApply }: { onApply: (q: URLSearchParams) => void }) {
  const q = currentQuery();
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(TEXT_FILTERS.map((k) => [k, q.get(k) ?? ''])),
  );
  const [times, setTimes] = useState<Record<string, string>>(() =>
    Object.fromEntries(TIME_FILTERS.map((k) => [k, toLocalInput(q.get(k))])),
  );
  const [limit, setLimit] = useState(q.get('limit') ?? String(DEFAULT_PAGE_SIZE));

  const apply = (e: Event) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of TEXT_FILTERS) if (text[k].trim()) next.set(k, text[k].trim());
    for (const k of TIME_FILTERS) {
      const iso = fromLocalInput(times[k]);
      if (iso) next.set(k, iso);
    }
    if (limit !== String(DEFAULT_PAGE_SIZE)) next.set('limit', limit);
    onApply(next);
  };
  const clear = () => {
    setText(Object.fromEntries(TEXT_FILTERS.map((k) => [k, ''])));
    setTimes(Object.fromEntries(TIME_FILTERS.map((k) => [k, ''])));
    setLimit(String(DEFAULT_PAGE_SIZE));
    onApply(new URLSearchParams());
  };

  return (
    <form class="filters" onSubmit={apply} noValidate aria-labelledby="audit-filters-title">
      <h2 id="audit-filters-title">{t('audit.filters.title')}</h2>
      <div class="filter-grid">
        {TEXT_FILTERS.map((k) => (
          <Field id={`audit-${k}`} key={k} label={t(`audit.field.${k}`)}
            hint={<Msg k={`audit.hint.${k}`} values={{ example: <Code>{EXAMPLES[k]}</Code> }} />}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                dir="ltr"
                spellcheck={false}
                autoComplete="off"
                value={text[k]}
                onInput={(e) => setText({ ...text, [k]: e.currentTarget.value })}
              />
            )}
          </Field>
        ))}
        {TIME_FILTERS.map((k) => (
          <Field id={`audit-${k}`} key={k} label={t(`audit.field.${k}`)}>
            {(aria) => (
              <input
                {...aria}
                type="datetime-local"
                value={times[k]}
                onInput={(e) => setTimes({ ...times, [k]: e.currentTarget.value })}
              />
            )}
          </Field>
        ))}
        <Field id="audit-limit" label={t('audit.field.limit')}>
          {(aria) => (
            <select {...aria} value={limit} onChange={(e) => setLimit(e.currentTarget.value)}>
              {PAGE_SIZES.map((n) => (
                <option value={String(n)} key={n}>
                  {formatNumber(n)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="actions">
        <button type="submit">{t('audit.filters.apply')}</button>
        <button type="button" class="secondary" onClick={clear}>
          {t('audit.filters.clear')}
        </button>
      </div>
    </form>
  );
}

// An actor as recorded ("user:ID:USERNAME", "cli:root", "system"): a user
// is shown by username with the id below it.
function Actor({ actor }: { actor: string }) {
  const m = actor.match(/^user:([^:]+):(.+)$/);
  const href = `${AUDIT}?actor=${encodeURIComponent(actor)}`;
  const label = t('audit.entries.by_actor');
  if (!m) {
    return (
      <Link href={href} title={label}>
        <Code>{actor}</Code>
      </Link>
    );
  }
  return (
    <>
      <Link href={href} title={label}>
        <Code>{m[2]}</Code>
      </Link>
      <span class="sub">
        <Code>{m[1]}</Code>
      </span>
    </>
  );
}

function Outcome({ outcome }: { outcome: Entry['outcome'] }) {
  const cls = outcome === 'success' ? 'badge-ok' : outcome === 'denied' ? 'badge-warn' : 'badge-bad';
  return <span class={`badge ${cls}`}>{t(`audit.outcome.${outcome}`)}</span>;
}

function Entries() {
  const [search, setSearch] = useState(location.search);

  // The address holds the query: follow it (links, Back and Forward).
  useEffect(() => onNavigate(() => setSearch(location.search)), []);

  // The page and error of the query they answer (none while it loads).
  const { data: page, error } = useLoad(
    (signal) => {
      const q = new URLSearchParams(search);
      const query: Record<string, string> = {};
      for (const k of FILTER_FIELDS) {
        const v = q.get(k);
        if (v) query[k] = v;
      }
      if (!query.limit) query.limit = String(DEFAULT_PAGE_SIZE);
      return call<EntryPage>('GET', '/api/v1/audit', { query, purpose: PURPOSE, signal }).catch((e: unknown) => {
        if (!signal.aborted) {
          focusField(e, { actor: 'audit-actor', action: 'audit-action', object: 'audit-object', from: 'audit-from', to: 'audit-to', limit: 'audit-limit' });
        }
        throw e;
      });
    },
    [search],
    { keep: false },
  );

  const go = (q: URLSearchParams) => {
    const s = q.toString();
    navigate(s ? `${AUDIT}?${s}` : AUDIT);
  };
  const q = new URLSearchParams(search);
  const older = () => {
    if (!page?.next_before_seq) return;
    q.set('before_seq', String(page.next_before_seq));
    go(q);
  };
  const newest = () => {
    q.delete('before_seq');
    go(q);
  };
  const fieldProblem = isFieldError(error, FILTER_FIELDS);

  return (
    <>
      <Filters key={search} onApply={go} />
      {fieldProblem && (
        <p class="notice notice-error" role="alert">
          {FILTER_FIELDS.map((f) => fieldError(error, 'audit', f)).find(Boolean)}
        </p>
      )}
      {error && !fieldProblem && <ErrorNotice error={error} />}
      {!page && !error && <p role="status">{t('app.loading')}</p>}
      {page && (
        <section aria-labelledby="audit-entries-title">
          <h2 id="audit-entries-title">{t('audit.entries.title')}</h2>
          {page.entries.length === 0 ? (
            <p>{t('audit.entries.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-entries-title">
              <table class="data audit">
                <caption>
                  {t('audit.entries.caption', {
                    count: page.entries.length,
                    first: formatSeq(page.entries[0].seq),
                    last: formatSeq(page.entries[page.entries.length - 1].seq),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.field.seq')}</th>
                    <th scope="col">{t('audit.field.at')}</th>
                    <th scope="col">{t('audit.field.actor')}</th>
                    <th scope="col">{t('audit.field.action')}</th>
                    <th scope="col">{t('audit.field.object')}</th>
                    <th scope="col">{t('audit.field.purpose')}</th>
                    <th scope="col">{t('audit.field.outcome')}</th>
                    <th scope="col">{t('audit.field.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((e) => (
                    <tr key={e.seq}>
                      <td class="num">{formatSeq(e.seq)}</td>
                      <td>
                        <DateTime iso={e.at} />
                      </td>
                      <td>
                        <Actor actor={e.actor} />
                      </td>
                      <td class="nowrap">
                        <Code>{e.action}</Code>
                      </td>
                      <td>{e.object ? <Code>{e.object}</Code> : ''}</td>
                      <td>
                        {e.purpose ? (
                          <bdi class="purpose" data-raw="">
                            {purposeText(e.purpose)}
                          </bdi>
                        ) : (
                          ''
                        )}
                      </td>
                      <td>
                        <Outcome outcome={e.outcome} />
                      </td>
                      <td>
                        {Object.keys(e.details ?? {}).length > 0 && (
                          <details>
                            <summary>{t('audit.entries.show_details')}</summary>
                            <pre dir="ltr" data-raw="">
                              {JSON.stringify(e.details, null, 2)}
                            </pre>
                          </details>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div class="pager">
            <button type="button" class="secondary" disabled={!q.has('before_seq')} onClick={newest}>
              {t('audit.pager.newest')}
            </button>
            <button type="button" class="secondary" disabled={!page.next_before_seq} onClick={older}>
              {t('audit.pager.older')}
            </button>
          </div>
        </section>
      )}
    </>
  );
}

function Verify() {
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await call<Verification>('GET', '/api/v1/audit/verify', { purpose: PURPOSE }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card verify" aria-labelledby="audit-verify-title">
      <h2 id="audit-verify-title">{t('audit.verify.title')}</h2>
      <p>{t('audit.verify.text')}</p>
      <button type="button" onClick={verify} disabled={busy}>
        {busy ? t('audit.verify.busy') : t('audit.verify.button')}
      </button>
      <ErrorNotice error={error} />
      <div aria-live="polite">
        {result && result.ok && (
          <div class="notice notice-ok verify-result" data-ok="true">
            <p>{t('audit.verify.ok', { count: result.entries_checked })}</p>
            {result.head_seq > 0 && (
              <p>
                <Msg
                  k="audit.verify.head"
                  values={{ seq: formatSeq(result.head_seq), hash: <Code>{result.head_hash}</Code> }}
                />
              </p>
            )}
          </div>
        )}
        {result && !result.ok && (
          <div class="notice notice-error verify-result" data-ok="false">
            <p>
              {result.first_broken_seq !== null
                ? t('audit.verify.broken_at', { seq: formatSeq(result.first_broken_seq) })
                : t('audit.verify.broken')}
            </p>
            <p>{t(`audit.problem.${result.problem}`)}</p>
            {result.reason && (
              <p class="server-detail">
                {t('app.error.node_says')}{' '}
                <bdi lang="en" data-raw="">
                  {result.reason}
                </bdi>
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function AuditLog({ me }: ScreenProps) {
  return (
    <>
      <h1 tabIndex={-1}>{t('audit.title')}</h1>
      {can(me, 'audit.verify') && <Verify />}
      {can(me, 'audit.read') && <Entries />}
    </>
  );
}

export const components: ScreenComponents = { [AUDIT]: AuditLog };
