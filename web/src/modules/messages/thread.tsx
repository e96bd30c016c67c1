// One thread and its messages, oldest first. Each message shows its sender
// (user and agency) and times, its handling code explained — H1 content
// between visible banners saying it is not for judicial proceedings without
// the sender's permission —, its evaluation code in words, its attachments
// (size, hash, download checked against the hash here) and, for the sender,
// every recipient's delivery, read and acknowledgement state. Buttons mark a
// message read, acknowledge it, reply and forward it (the node refuses to
// pass another agency's H2 content on, and its reason is shown). Opening the
// thread marks nothing read: reading is a choice, as the node's API makes it.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type Agency, type Me } from '../../app/api';
import { Code, DateTime, ErrorNotice, Link, Msg, Name } from '../../app/components';
import { formatTime, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Text } from '../alerts/common';
import {
  AgencyLabel,
  DeliveryBadge,
  EvaluationView,
  formatBytes,
  H1Banner,
  Hash,
  HandlingBadge,
  HandlingNotice,
  LinkView,
  memberError,
  problemRecipient,
  PURPOSE,
  RecipientLabel,
  RecipientsPicker,
  recipientsOf,
  useDirectory,
  type AttachmentView,
  type Directory,
  type MessageView,
  type Recipient,
  type ThreadView,
} from './common';
import { messagesHref } from './list';
import { NEW_MESSAGE, THREAD } from './paths';
import { downloadAttachment, saveBlob, saveThreadExport } from './transfer';

// The address of the compose screen for a reply to `messageId`.
export function replyHref(threadId: string, messageId: string): string {
  return `${NEW_MESSAGE}?thread=${encodeURIComponent(threadId)}&reply_to=${encodeURIComponent(messageId)}`;
}

// True when the user may acknowledge `m`: a partner's message to this agency
// not acknowledged yet, or a message to one of the user's units.
function mayAcknowledge(m: MessageView, me: Me, agency: Agency, dir: Directory): boolean {
  if (!can(me, 'message.ack')) return false;
  if (m.origin !== agency.code && m.recipients.some((r) => r.type === 'agency' && r.code === agency.code)) {
    const own = m.deliveries.find((d) => d.type === 'agency' && d.code === agency.code);
    if (!own || own.state !== 'acknowledged') return true;
  }
  const mine = dir.units.filter((u) => u.members.includes(me.id)).map((u) => u.code);
  return m.deliveries.some((d) => d.type === 'unit' && mine.includes(d.code) && d.state !== 'acknowledged');
}

export function ThreadScreen({ params, me, agency }: ScreenProps) {
  const id = params.id;
  const loaded = useLoad(
    (signal) =>
      call<ThreadView>('GET', `/api/v1/threads/${encodeURIComponent(id)}`, { purpose: PURPOSE, signal }).then((view) => ({ view, at: Date.now() })),
    [id],
  );
  // The thread read last, or the failure of the last read (alone).
  const state: { view?: ThreadView; error?: unknown; at?: number } | null = loaded.error ? { error: loaded.error } : loaded.data;
  const [exportError, setExportError] = useState<unknown>(null);
  const dir = useDirectory(me, agency);
  const notice = currentQuery().get('sent') ? 'sent' : currentQuery().get('forwarded') ? 'forwarded' : '';

  // A message named in the address (#message-<id>) is brought into view once.
  const [scrolled, setScrolled] = useState(false);
  useEffect(() => {
    if (scrolled || !state?.view || !location.hash.startsWith('#message-')) return;
    setScrolled(true);
    document.getElementById(location.hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [state, scrolled]);

  const update = (m: MessageView) =>
    loaded.set((s) => (s ? { ...s, view: { ...s.view, messages: s.view.messages.map((x) => (x.id === m.id ? m : x)) } } : s));

  const back = (
    <p class="breadcrumb">
      <Link href={messagesHref({})}>{t('messages.back')}</Link>
    </p>
  );
  if (!state) {
    return (
      <>
        {back}
        <h1 tabIndex={-1}>{t('messages.thread.title')}</h1>
        <p role="status">{t('app.loading')}</p>
      </>
    );
  }
  if (!state.view) {
    return (
      <>
        {back}
        <h1 tabIndex={-1}>{t('messages.thread.title')}</h1>
        <ErrorNotice error={state.error} />
      </>
    );
  }
  const { thread, messages } = state.view;
  const last = messages[messages.length - 1];
  return (
    <>
      {back}
      <div class="page-head">
        <h1 tabIndex={-1}>
          <Text>{thread.subject}</Text>
        </h1>
        <div class="refresh">
          {state.at && (
            <p class="hint" data-updated={state.at}>
              {t('messages.list.updated', { time: formatTime(new Date(state.at)) })}
            </p>
          )}
          <button type="button" class="secondary small" id="messages-refresh" onClick={loaded.reload}>
            {t('messages.refresh')}
          </button>
        </div>
      </div>
      {notice && (
        <p class="notice notice-ok" role="status" data-notice={notice}>
          {t(`messages.done.${notice}`)}
        </p>
      )}
      <dl class="facts thread-facts">
        <dt>{t('messages.thread.opened_by')}</dt>
        <dd>
          <AgencyLabel code={thread.origin} dir={dir} /> · <DateTime iso={thread.created_at} />
        </dd>
        {thread.link && (
          <>
            <dt>{t('messages.field.link')}</dt>
            <dd>
              <LinkView link={thread.link} />
            </dd>
          </>
        )}
        <dt>{t('messages.thread.agencies')}</dt>
        <dd>
          <ul class="plain">
            {thread.agencies.map((a) => (
              <li key={a}>
                <AgencyLabel code={a} dir={dir} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('messages.thread.codes')}</dt>
        <dd class="badges">
          {thread.handling_codes.map((c) => (
            <HandlingBadge code={c} key={c} />
          ))}
        </dd>
      </dl>
      <div class="actions head-actions">
        {can(me, 'message.send') && last && (
          <Link class="button" href={replyHref(thread.id, last.id)} id="messages-reply-thread">
            {t('messages.reply')}
          </Link>
        )}
        {can(me, 'message.export') && (
          <button
            type="button"
            class="secondary"
            id="messages-export"
            onClick={() => {
              setExportError(null);
              saveThreadExport(thread.id, PURPOSE).catch(setExportError);
            }}
          >
            {t('messages.export')}
          </button>
        )}
      </div>
      <ErrorNotice error={exportError} />
      <ol class="messages-thread">
        {messages.map((m) => (
          <li key={m.id}>
            <MessageCard m={m} me={me} agency={agency} dir={dir} threadId={thread.id} onChange={update} />
          </li>
        ))}
      </ol>
    </>
  );
}

interface CardProps {
  m: MessageView;
  me: Me;
  agency: Agency;
  dir: Directory;
  threadId: string;
  onChange: (m: MessageView) => void;
}

function MessageCard({ m, me, agency, dir, threadId, onChange }: CardProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<'' | 'read' | 'ack'>('');
  const [panel, setPanel] = useState<'' | 'ack' | 'forward'>('');
  const [note, setNote] = useState('');
  const ours = m.origin === agency.code;
  const ackable = mayAcknowledge(m, me, agency, dir);
  const h1 = m.handling.code === 'H1';
  const forwardableToAgencies = !(m.handling.code === 'H2' && m.content_origin !== agency.code);
  const headId = `message-${m.id}-head`;

  const act = async (what: 'read' | 'ack') => {
    setBusy(true);
    setError(null);
    try {
      const path = `/api/v1/messages/${encodeURIComponent(m.id)}/${what}`;
      const body = what === 'ack' && note.trim() ? { note: note.trim() } : {};
      const updated = await call<MessageView>('POST', path, { body, purpose: PURPOSE });
      onChange(updated);
      setDone(what);
      setPanel('');
      setNote('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <article
      class={`message card${m.read ? '' : ' message-unread'}`}
      id={`message-${m.id}`}
      data-message={m.id}
      data-handling={m.handling.code}
      data-read={String(m.read)}
      aria-labelledby={headId}
    >
      <header class="message-head">
        <h2 id={headId}>
          <Name>{m.sender.display_name}</Name> <Code>{m.sender.username}</Code>
        </h2>
        <p class="sub">
          <AgencyLabel code={m.sender.agency} dir={dir} /> ·{' '}
          <Msg k="messages.message.sent" values={{ time: <DateTime iso={m.sent_at} /> }} />
          {m.received_at && !ours && (
            <>
              {' '}
              · <Msg k="messages.message.received" values={{ time: <DateTime iso={m.received_at} /> }} />
            </>
          )}
        </p>
        <p class="badges">
          {!m.read && <span class="badge badge-unread">{t('messages.message.unread')}</span>}
          {m.ack_requested && <span class="badge badge-muted">{t('messages.message.ack_requested')}</span>}
          <HandlingBadge code={m.handling.code} />
          <EvaluationView evaluation={m.evaluation} compact />
        </p>
      </header>
      {m.forwarded_from && (
        <div class="forwarded notice">
          <p>
            <Msg
              k="messages.message.forwarded"
              values={{
                name: <Name>{m.forwarded_from.sender_name}</Name>,
                agency: <AgencyLabel code={m.forwarded_from.origin} dir={dir} />,
                time: <DateTime iso={m.forwarded_from.sent_at} />,
              }}
            />
          </p>
          {m.forwarded_from.note && (
            <p>
              {t('messages.message.forward_note')} <Text>{m.forwarded_from.note}</Text>
            </p>
          )}
          {m.content_origin !== m.origin && (
            <p class="hint">
              <Msg k="messages.message.content_origin" values={{ agency: <AgencyLabel code={m.content_origin} dir={dir} /> }} />
            </p>
          )}
        </div>
      )}
      <HandlingNotice handling={m.handling} forwardable={forwardableToAgencies} />
      <div class={h1 ? 'message-content h1-content' : 'message-content'}>
        {h1 && <H1Banner />}
        <p class="message-text">
          <Text>{m.text}</Text>
        </p>
        {m.attachments.length > 0 && <Attachments list={m.attachments} />}
        {h1 && <H1Banner end />}
      </div>
      <details class="evaluation-details" open>
        <summary>
          {t('messages.message.evaluation')} <EvaluationView evaluation={m.evaluation} compact />
        </summary>
        <EvaluationView evaluation={m.evaluation} />
      </details>
      <p class="recipients-line">
        {t('messages.message.to')}{' '}
        {m.recipients.map((r, i) => (
          <span key={`${r.type}:${r.code}`}>
            {i > 0 && ', '}
            <RecipientLabel r={r} dir={dir} />
          </span>
        ))}
      </p>
      {m.deliveries.length > 0 && <Deliveries m={m} ours={ours} dir={dir} />}
      <div class="actions message-actions">
        {!m.read && can(me, 'message.read') && (
          <button type="button" class="secondary" data-action="read" disabled={busy} onClick={() => act('read')}>
            {t('messages.action.read')}
          </button>
        )}
        {ackable && (
          <button
            type="button"
            class="secondary"
            data-action="ack"
            aria-expanded={panel === 'ack' ? 'true' : 'false'}
            disabled={busy}
            onClick={() => setPanel(panel === 'ack' ? '' : 'ack')}
          >
            {t('messages.action.ack')}
          </button>
        )}
        {can(me, 'message.send') && (
          <Link class="button secondary" href={replyHref(threadId, m.id)} data-action="reply">
            {t('messages.reply')}
          </Link>
        )}
        {can(me, 'message.forward') && (
          <button
            type="button"
            class="secondary"
            data-action="forward"
            aria-expanded={panel === 'forward' ? 'true' : 'false'}
            onClick={() => setPanel(panel === 'forward' ? '' : 'forward')}
          >
            {t('messages.action.forward')}
          </button>
        )}
      </div>
      {done && (
        <p class="notice notice-ok" role="status" data-done={done}>
          {t(`messages.done.${done}`)}
        </p>
      )}
      <ErrorNotice error={error} />
      {panel === 'ack' && (
        <form
          class="form ack-form"
          onSubmit={(e) => {
            e.preventDefault();
            act('ack');
          }}
        >
          <div class="field">
            <label for={`ack-note-${m.id}`}>{t('messages.ack.note')}</label>
            <p class="hint" id={`ack-note-${m.id}-hint`}>
              {t('messages.ack.note_hint')}
            </p>
            <textarea
              id={`ack-note-${m.id}`}
              dir="auto"
              rows={2}
              maxLength={2000}
              aria-describedby={`ack-note-${m.id}-hint`}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </div>
          <div class="actions">
            <button type="submit" data-action="ack-confirm" disabled={busy}>
              {t('messages.ack.confirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setPanel('')}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      {panel === 'forward' && (
        <ForwardForm m={m} agency={agency} dir={dir} onCancel={() => setPanel('')} forwardable={forwardableToAgencies} />
      )}
    </article>
  );
}

function Attachments({ list }: { list: AttachmentView[] }) {
  return (
    <section class="attachments" aria-label={t('messages.attachments')}>
      <h3>{t('messages.attachments')}</h3>
      <ul class="plain">
        {list.map((a) => (
          <li key={a.hash} class="attachment" data-hash={a.hash}>
            <AttachmentRow a={a} />
          </li>
        ))}
      </ul>
    </section>
  );
}

type Fetch =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'ok'; computed: string }
  | { kind: 'mismatch'; computed: string }
  | { kind: 'failed'; error: unknown };

function AttachmentRow({ a }: { a: AttachmentView }) {
  const [state, setState] = useState<Fetch>({ kind: 'idle' });
  const available = a.available !== false;
  const download = async () => {
    setState({ kind: 'busy' });
    try {
      const d = await downloadAttachment(a.hash, PURPOSE);
      if (d.computed !== a.hash || (d.declared && d.declared !== a.hash)) {
        setState({ kind: 'mismatch', computed: d.computed });
        return;
      }
      setState({ kind: 'ok', computed: d.computed });
      saveBlob(d.blob, a.name);
    } catch (e) {
      setState({ kind: 'failed', error: e });
    }
  };
  const onItsWay = state.kind === 'failed' && state.error instanceof ApiError && state.error.status === 409;
  return (
    <>
      <p class="attachment-name">
        <bdi data-raw="">{a.name}</bdi>{' '}
        <span class="sub-inline">
          {formatBytes(a.size)} · <Code>{a.media_type}</Code>
        </span>
      </p>
      <p class="attachment-hash">
        <Hash hash={a.hash} />
      </p>
      <div class="actions">
        <button type="button" class="secondary small" data-action="download" disabled={!available || state.kind === 'busy'} onClick={download}>
          {t('messages.attachment.download')}
        </button>
        {!available && <span class="badge badge-warn">{t('messages.attachment.on_its_way')}</span>}
      </div>
      <p class="download-status" role="status" data-state={state.kind} data-computed={'computed' in state ? state.computed : ''}>
        {state.kind === 'busy' && t('messages.attachment.downloading')}
        {state.kind === 'ok' && (
          <span class="badge badge-ok">
            <span aria-hidden="true">✓ </span>
            {t('messages.attachment.verified')}
          </span>
        )}
        {state.kind === 'mismatch' && (
          <span class="badge badge-bad">
            <span aria-hidden="true">✕ </span>
            {t('messages.attachment.mismatch')}
          </span>
        )}
      </p>
      {state.kind === 'failed' &&
        (onItsWay ? (
          <p class="notice">{t('messages.attachment.on_its_way')}</p>
        ) : (
          <ErrorNotice error={state.error} />
        ))}
    </>
  );
}

function Deliveries({ m, ours, dir }: { m: MessageView; ours: boolean; dir: Directory }) {
  const caption = ours ? t('messages.deliveries.caption') : t('messages.deliveries.caption_own');
  return (
    <div class="table-scroll deliveries-wrap">
      <table class="data deliveries">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('messages.deliveries.recipient')}</th>
            <th scope="col">{t('messages.deliveries.state')}</th>
            <th scope="col">{t('messages.delivery.delivered')}</th>
            <th scope="col">{t('messages.delivery.read')}</th>
            <th scope="col">{t('messages.delivery.acknowledged')}</th>
          </tr>
        </thead>
        <tbody>
          {m.deliveries.map((d) => (
            <tr key={`${d.type}:${d.code}`} data-recipient={d.code} data-state={d.state}>
              <td>
                <RecipientLabel r={{ type: d.type, code: d.code }} dir={dir} />
              </td>
              <td>
                <DeliveryBadge state={d.state} />
              </td>
              <td>{d.delivered_at ? <DateTime iso={d.delivered_at} /> : '—'}</td>
              <td>
                {d.read_at ? (
                  <>
                    <DateTime iso={d.read_at} />
                    {d.read_by && (
                      <span class="sub">
                        <Name>{d.read_by}</Name>
                      </span>
                    )}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {d.acknowledged_at ? (
                  <>
                    <DateTime iso={d.acknowledged_at} />
                    {d.acknowledged_by && (
                      <span class="sub">
                        <Name>{d.acknowledged_by}</Name>
                      </span>
                    )}
                    {d.note && (
                      <span class="sub">
                        <Text>{d.note}</Text>
                      </span>
                    )}
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ForwardProps {
  m: MessageView;
  agency: Agency;
  dir: Directory;
  forwardable: boolean;
  onCancel: () => void;
}

// Forwarding a message: to partner agencies and units, with a note; H3 asks
// the user to confirm the sender's restrictions are respected. The node
// decides: another agency's H2 content is refused for any agency, with its
// reason shown.
function ForwardForm({ m, agency, dir, forwardable, onCancel }: ForwardProps) {
  const prefix = `forward-${m.id}`;
  const [agencies, setAgencies] = useState<string[]>([]);
  const [units, setUnits] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState('');
  const [h3, setH3] = useState(false);
  const [ack, setAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<Recipient[]>([]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const recipients = recipientsOf(dir.partners, agencies, typed, units);
    setSent(recipients);
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { recipients, ack_requested: ack };
    if (note.trim()) body.note = note.trim();
    if (m.handling.code === 'H3') body.h3_restrictions_respected = h3;
    try {
      const created = await call<MessageView>('POST', `/api/v1/messages/${encodeURIComponent(m.id)}/forward`, {
        body,
        purpose: PURPOSE,
      });
      navigate(`${pathFor(THREAD, { id: created.thread_id })}?forwarded=1`);
    } catch (x) {
      setError(x);
      const target = x instanceof ApiError && x.field === 'h3_restrictions_respected' ? `${prefix}-h3` : `${prefix}-recipients`;
      requestAnimationFrame(() => document.getElementById(target)?.focus());
    } finally {
      setBusy(false);
    }
  };

  const refusal = error instanceof ApiError && error.status === 409 ? error : null;
  const refused = refusal !== null;
  const culprit = problemRecipient(error, sent);
  const memberProblem = memberError(error, 'recipients');
  let recipientsError: ComponentChildren = memberProblem;
  if (refused) {
    recipientsError = <Msg k="messages.forward.refused_recipient" values={{ code: <Code>{culprit?.code ?? ''}</Code> }} />;
  } else if (memberProblem && culprit) {
    recipientsError = <Msg k="messages.error.recipient" values={{ code: <Code>{culprit.code}</Code> }} />;
  }

  return (
    <form class="form forward-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>{t('messages.forward.title')}</h3>
      <p class="hint">{t('messages.forward.text')}</p>
      {!forwardable && (
        <p class="notice notice-warn" data-warning="h2">
          <Msg k="messages.forward.h2_warning" values={{ agency: <AgencyLabel code={m.content_origin} dir={dir} /> }} />
        </p>
      )}
      {refusal && (
        <div class="notice notice-error" role="alert" data-refused="">
          <p>{t('messages.forward.refused')}</p>
          {refusal.problem.detail && (
            <p class="server-detail">
              {t('app.error.node_says')}{' '}
              <bdi lang="en" data-raw="" class="refusal-reason">
                {refusal.problem.detail}
              </bdi>
            </p>
          )}
        </div>
      )}
      {error && !refused && <ErrorNotice error={error} />}
      <RecipientsPicker
        idPrefix={prefix}
        dir={dir}
        agencies={null}
        ownAgency={agency.code}
        chosenAgencies={agencies}
        chosenUnits={units}
        typed={typed}
        onAgencies={setAgencies}
        onUnits={setUnits}
        onTyped={setTyped}
        error={recipientsError}
      />
      <div class="field">
        <label for={`${prefix}-note`}>{t('messages.forward.note')}</label>
        <textarea id={`${prefix}-note`} dir="auto" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {m.handling.code === 'H3' && (
        <div class={memberError(error, 'h3_restrictions_respected') ? 'field field-check field-invalid' : 'field field-check'}>
          <input
            id={`${prefix}-h3`}
            type="checkbox"
            checked={h3}
            aria-describedby={`${prefix}-h3-hint`}
            onChange={(e) => setH3(e.currentTarget.checked)}
          />
          <label for={`${prefix}-h3`}>{t('messages.forward.h3_confirm')}</label>
          <p class="hint" id={`${prefix}-h3-hint`}>
            {t('messages.handling.H3.restrictions')}{' '}
            <bdi class="text" dir="auto" data-raw="">
              {m.handling.text}
            </bdi>
          </p>
          {memberError(error, 'h3_restrictions_respected') && (
            <p class="field-error">{memberError(error, 'h3_restrictions_respected')}</p>
          )}
        </div>
      )}
      <div class="field field-check">
        <input id={`${prefix}-ack`} type="checkbox" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />
        <label for={`${prefix}-ack`}>{t('messages.field.ack_requested')}</label>
      </div>
      <div class="actions">
        <button type="submit" data-action="forward-confirm" disabled={busy}>
          {t('messages.forward.submit')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
