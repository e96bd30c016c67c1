// Writing a message: a new thread (subject, optionally about an alert, an
// assistance request, a working group or an event) or a reply in a thread
// (?thread=&reply_to=: only the thread's agencies may be addressed). The
// recipients (partner agencies and this agency's units), the text, the
// handling code (H3 with its restrictions), the evaluation of the source and
// of the information, each with what it means, and attachments uploaded as
// they are chosen, with their progress and the hash the node names them by,
// checked against the one computed here. The node checks every member and
// names the one at fault.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Field, Link, Msg, Name } from '../../app/components';
import { formatNumber, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { currentQuery, navigate, pathFor } from '../../app/router';
import { Text } from '../alerts/common';
import {
  ACCURACIES,
  AgencyLabel,
  formatBytes,
  HANDLING_CODES,
  HandlingBadge,
  Hash,
  LINK_TYPES,
  memberError,
  problemMember,
  problemRecipient,
  PURPOSE,
  RecipientsPicker,
  recipientsOf,
  RELIABILITIES,
  useDirectory,
  type MessageView,
  type Recipient,
  type ThreadView,
} from './common';
import { blake2b256OfBlob } from './blake2b';
import { messagesHref } from './list';
import { THREAD } from './paths';
import { uploadAttachment } from './transfer';

// The node's limits (docs/exchange.md): at most 20 attachments a message.
const MAX_ATTACHMENTS = 20;

// The member a problem names → the control to focus.
const CONTROL: Record<string, string> = {
  subject: 'messages-subject',
  link: 'messages-link-type',
  recipients: 'messages-recipients',
  text: 'messages-text',
  handling_code: 'messages-handling-code',
  handling_text: 'messages-handling-text',
  source_reliability: 'messages-source-reliability',
  information_accuracy: 'messages-information-accuracy',
  attachments: 'messages-attachments',
};

interface Upload {
  key: number;
  file: File;
  sent: number;
  total: number;
  state: 'uploading' | 'done' | 'failed';
  hash?: string;
  size?: number;
  // The BLAKE2b-256 computed in this browser over the chosen file.
  local?: string;
  error?: unknown;
  controller: AbortController;
}

let uploadKeys = 0;

export function ComposeScreen({ me, agency }: ScreenProps) {
  const dir = useDirectory(me, agency);
  const query = currentQuery();
  const threadId = query.get('thread') ?? '';
  const replyTo = query.get('reply_to') ?? '';
  const [thread, setThread] = useState<{ view?: ThreadView; error?: unknown } | null>(threadId ? null : {});
  const [subject, setSubject] = useState('');
  const [linkType, setLinkType] = useState(() => {
    const lt = query.get('link_type') ?? '';
    return (LINK_TYPES as readonly string[]).includes(lt) ? lt : '';
  });
  const [linkId, setLinkId] = useState(query.get('link_id') ?? '');
  const [agencies, setAgencies] = useState<string[]>(() => (query.get('to') ? [query.get('to')!.toUpperCase()] : []));
  const [typed, setTyped] = useState(query.get('to')?.toUpperCase() ?? '');
  const [units, setUnits] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [handling, setHandling] = useState('');
  const [handlingText, setHandlingText] = useState('');
  const [reliability, setReliability] = useState('');
  const [accuracy, setAccuracy] = useState('');
  const [ackRequested, setAckRequested] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<Recipient[]>([]);
  const [busy, setBusy] = useState(false);

  // A reply: the thread, for its subject and agencies.
  useEffect(() => {
    if (!threadId) return;
    const controller = new AbortController();
    call<ThreadView>('GET', `/api/v1/threads/${encodeURIComponent(threadId)}`, { purpose: PURPOSE, signal: controller.signal }).then(
      (view) => {
        setThread({ view });
        const answered = view.messages.find((m) => m.id === replyTo) ?? view.messages[view.messages.length - 1];
        const others = view.thread.agencies.filter((a) => a !== agency.code);
        setAgencies(answered && answered.origin !== agency.code ? [answered.origin] : others);
      },
      (e) => {
        if (!controller.signal.aborted) setThread({ error: e });
      },
    );
    return () => controller.abort();
  }, [threadId]);

  // Cancels uploads still running when the screen closes.
  const running = useRef<Upload[]>([]);
  running.current = uploads;
  useEffect(() => () => running.current.forEach((u) => u.controller.abort()), []);

  const patch = (key: number, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    const chosen = [...files].slice(0, Math.max(0, MAX_ATTACHMENTS - uploads.length));
    const fresh: Upload[] = chosen.map((file) => ({
      key: ++uploadKeys,
      file,
      sent: 0,
      total: file.size,
      state: 'uploading',
      controller: new AbortController(),
    }));
    setUploads((list) => [...list, ...fresh]);
    for (const u of fresh) {
      blake2b256OfBlob(u.file).then(
        (local) => patch(u.key, { local }),
        () => {},
      );
      uploadAttachment(u.file, PURPOSE, (s, total) => patch(u.key, { sent: s, total }), u.controller.signal).then(
        (r) => patch(u.key, { state: 'done', hash: r.hash, size: r.size, sent: u.file.size }),
        (e) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) patch(u.key, { state: 'failed', error: e });
        },
      );
    }
  };

  const remove = (key: number) => {
    uploads.find((u) => u.key === key)?.controller.abort();
    setUploads((list) => list.filter((u) => u.key !== key));
  };

  const reply = !!threadId;
  const view = thread?.view;
  const answered = view?.messages.find((m) => m.id === replyTo) ?? null;
  const uploading = uploads.some((u) => u.state === 'uploading');
  const ready = uploads.filter((u) => u.state === 'done');

  const submit = async (e: Event) => {
    e.preventDefault();
    const recipients = recipientsOf(reply ? view?.thread.agencies ?? [] : dir.partners, agencies, typed, units);
    setSent(recipients);
    const body: Record<string, unknown> = {
      text,
      recipients,
      ack_requested: ackRequested,
    };
    if (handling) body.handling_code = handling;
    if (handling === 'H3') body.handling_text = handlingText;
    if (reliability) body.source_reliability = reliability;
    if (accuracy) body.information_accuracy = Number(accuracy);
    if (reply) {
      body.thread_id = threadId;
      if (answered) body.in_reply_to = answered.id;
    } else {
      body.subject = subject;
      if (linkType || linkId.trim()) body.link = { type: linkType, id: linkId.trim().toLowerCase() };
    }
    if (ready.length > 0) {
      body.attachments = ready.map((u) => ({
        hash: u.hash,
        name: u.file.name,
        media_type: u.file.type || 'application/octet-stream',
      }));
    }
    setBusy(true);
    setError(null);
    try {
      const m = await call<MessageView>('POST', '/api/v1/messages', { body, purpose: PURPOSE });
      navigate(`${pathFor(THREAD, { id: m.thread_id })}?sent=1#message-${m.id}`);
    } catch (x) {
      setError(x);
      const member = problemMember(x);
      const target = member ? CONTROL[member] : undefined;
      if (target) requestAnimationFrame(() => document.getElementById(target)?.focus());
    } finally {
      setBusy(false);
    }
  };

  const member = problemMember(error);
  const fieldProblem = member !== null && member in CONTROL;
  const err = (m: string) => memberError(error, m);
  const culprit = problemRecipient(error, sent);
  const memberProblem = err('recipients');
  const recipientsError: ComponentChildren =
    memberProblem && culprit ? (
      <Msg k="messages.error.recipient" values={{ code: <Code>{culprit.code}</Code> }} />
    ) : (
      memberProblem
    );
  const attachmentIndex = error instanceof ApiError ? /^attachments\[(\d+)\]/.exec(error.field ?? '')?.[1] : undefined;
  const attachmentsError = err('attachments');

  // A group of radio buttons with a legend, each choice with its meaning.
  const radios = (
    name: string,
    value: string,
    set: (v: string) => void,
    options: { value: string; label: ComponentChildren; hint: string }[],
    hint?: string,
  ) => {
    const group = CONTROL[name];
    const e = err(name);
    return (
      <fieldset
        class={e ? 'group choices field-invalid' : 'group choices'}
        id={group}
        tabIndex={-1}
        aria-describedby={[hint ? `${group}-hint` : '', e ? `${group}-error` : ''].filter(Boolean).join(' ') || undefined}
      >
        <legend>{t(`messages.field.${name}`)}</legend>
        {hint && (
          <p class="hint" id={`${group}-hint`}>
            {hint}
          </p>
        )}
        {e && (
          <p class="field-error" id={`${group}-error`}>
            {e}
          </p>
        )}
        {options.map((o) => (
          <div class="field-check" key={o.value}>
            <input
              type="radio"
              name={name}
              id={`${group}-${o.value}`}
              value={o.value}
              checked={value === o.value}
              onChange={() => set(o.value)}
              aria-describedby={`${group}-${o.value}-hint`}
            />
            <label for={`${group}-${o.value}`}>{o.label}</label>
            <p class="hint" id={`${group}-${o.value}-hint`}>
              {o.hint}
            </p>
          </div>
        ))}
      </fieldset>
    );
  };

  const title = reply ? t('messages.compose.reply_title') : t('messages.compose.title');
  if (reply && !view) {
    return (
      <>
        <p class="breadcrumb">
          <Link href={messagesHref({})}>{t('messages.back')}</Link>
        </p>
        <h1 tabIndex={-1}>{title}</h1>
        {thread?.error ? <ErrorNotice error={thread.error} /> : <p role="status">{t('app.loading')}</p>}
      </>
    );
  }

  return (
    <>
      <p class="breadcrumb">
        {reply ? (
          <Link href={pathFor(THREAD, { id: threadId })}>{t('messages.compose.back_thread')}</Link>
        ) : (
          <Link href={messagesHref({})}>{t('messages.back')}</Link>
        )}
      </p>
      <h1 tabIndex={-1}>{title}</h1>
      <p>{t(reply ? 'messages.compose.reply_intro' : 'messages.compose.intro')}</p>
      {fieldProblem ? (
        <div class="notice notice-error" role="alert">
          <p>{t('messages.compose.fix')}</p>
          {error instanceof ApiError && error.problem.detail && (
            <p class="server-detail">
              {t('app.error.node_says')}{' '}
              <bdi lang="en" data-raw="">
                {error.problem.detail}
              </bdi>
            </p>
          )}
        </div>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      <form class="form compose-form" onSubmit={submit} noValidate>
        {reply && view ? (
          <div class="reply-to card">
            <p>
              <strong>{t('messages.field.subject')}</strong> <Text>{view.thread.subject}</Text>
            </p>
            {answered && (
              <p class="sub">
                <Msg
                  k="messages.compose.answering"
                  values={{
                    name: <Name>{answered.sender.display_name}</Name>,
                    agency: <AgencyLabel code={answered.sender.agency} dir={dir} />,
                    time: <DateTime iso={answered.sent_at} />,
                  }}
                />{' '}
                <HandlingBadge code={answered.handling.code} />
              </p>
            )}
          </div>
        ) : (
          <>
            <Field id="messages-subject" label={t('messages.field.subject')} hint={t('messages.hint.subject')} error={err('subject')}>
              {(aria) => (
                <input {...aria} type="text" dir="auto" autoComplete="off" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
              )}
            </Field>
            <fieldset class={err('link') ? 'group field-invalid' : 'group'}>
              <legend>{t('messages.field.link')}</legend>
              <p class="hint">{t('messages.hint.link')}</p>
              {err('link') && <p class="field-error">{err('link')}</p>}
              <div class="row">
                <Field id="messages-link-type" label={t('messages.link.type')}>
                  {(aria) => (
                    <select {...aria} value={linkType} onChange={(e) => setLinkType(e.currentTarget.value)}>
                      <option value="">{t('messages.link.none')}</option>
                      {LINK_TYPES.map((x) => (
                        <option value={x} key={x}>
                          {t(`messages.link.${x}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="messages-link-id" label={t('messages.link.id')}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="text"
                      dir="ltr"
                      autoComplete="off"
                      spellcheck={false}
                      value={linkId}
                      disabled={!linkType}
                      onInput={(e) => setLinkId(e.currentTarget.value)}
                    />
                  )}
                </Field>
              </div>
            </fieldset>
          </>
        )}
        <RecipientsPicker
          idPrefix="messages"
          dir={dir}
          agencies={reply ? (view?.thread.agencies ?? []) : null}
          ownAgency={agency.code}
          chosenAgencies={agencies}
          chosenUnits={units}
          typed={typed}
          onAgencies={setAgencies}
          onUnits={setUnits}
          onTyped={setTyped}
          error={recipientsError}
          hint={reply ? t('messages.hint.recipients_reply') : t('messages.hint.recipients')}
        />
        <Field id="messages-text" label={t('messages.field.text')} hint={t('messages.hint.text')} error={err('text')}>
          {(aria) => <textarea {...aria} dir="auto" rows={8} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
        </Field>
        {radios(
          'handling_code',
          handling,
          setHandling,
          HANDLING_CODES.map((c) => ({
            value: c,
            label: (
              <>
                <bdi dir="ltr">{c}</bdi> — {t(`messages.handling.${c}.rule`)}
              </>
            ),
            hint: t(`messages.handling.${c}.explain`),
          })),
          t('messages.hint.handling_code'),
        )}
        {handling === 'H3' && (
          <Field
            id="messages-handling-text"
            label={t('messages.field.handling_text')}
            hint={t('messages.hint.handling_text')}
            error={err('handling_text')}
          >
            {(aria) => (
              <textarea {...aria} dir="auto" rows={2} maxLength={1000} value={handlingText} onInput={(e) => setHandlingText(e.currentTarget.value)} />
            )}
          </Field>
        )}
        <div class="row evaluation-row">
          {radios(
            'source_reliability',
            reliability,
            setReliability,
            RELIABILITIES.map((r) => ({ value: r, label: <bdi dir="ltr">{r}</bdi>, hint: t(`messages.reliability.${r}`) })),
            t('messages.hint.source_reliability'),
          )}
          {radios(
            'information_accuracy',
            accuracy,
            setAccuracy,
            ACCURACIES.map((a) => ({ value: String(a), label: <bdi dir="ltr">{String(a)}</bdi>, hint: t(`messages.accuracy.${a}`) })),
            t('messages.hint.information_accuracy'),
          )}
        </div>
        <div class={attachmentsError ? 'field field-invalid' : 'field'}>
          <label for="messages-attachments">{t('messages.attachments')}</label>
          <p class="hint" id="messages-attachments-hint">
            {t('messages.hint.attachments', { max: MAX_ATTACHMENTS })}
          </p>
          {attachmentsError && (
            <p class="field-error" id="messages-attachments-error">
              {attachmentsError}
              {attachmentIndex !== undefined && ready[Number(attachmentIndex)] && (
                <>
                  {' '}
                  <bdi data-raw="">{ready[Number(attachmentIndex)].file.name}</bdi>
                </>
              )}
            </p>
          )}
          <input
            id="messages-attachments"
            type="file"
            multiple
            aria-describedby={attachmentsError ? 'messages-attachments-hint messages-attachments-error' : 'messages-attachments-hint'}
            disabled={uploads.length >= MAX_ATTACHMENTS}
            onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
          {uploads.length > 0 && (
            <ul class="plain uploads">
              {uploads.map((u) => (
                <li key={u.key} class="upload" data-state={u.state} data-hash={u.hash ?? ''} data-local={u.local ?? ''}>
                  <UploadRow u={u} onRemove={() => remove(u.key)} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div class="field field-check">
          <input id="messages-ack-requested" type="checkbox" checked={ackRequested} onChange={(e) => setAckRequested(e.currentTarget.checked)} />
          <label for="messages-ack-requested">{t('messages.field.ack_requested')}</label>
        </div>
        <div class="actions">
          <button type="submit" id="messages-send" disabled={busy || uploading}>
            {t('messages.compose.send')}
          </button>
          <Link class="button secondary" href={reply ? pathFor(THREAD, { id: threadId }) : messagesHref({})}>
            {t('app.cancel')}
          </Link>
        </div>
        {uploading && <p class="hint">{t('messages.compose.wait_uploads')}</p>}
      </form>
    </>
  );
}

function UploadRow({ u, onRemove }: { u: Upload; onRemove: () => void }) {
  const id = `upload-${u.key}`;
  const share = u.total > 0 ? Math.min(1, u.sent / u.total) : 0;
  return (
    <>
      <p class="attachment-name">
        <bdi data-raw="">{u.file.name}</bdi> <span class="sub-inline">{formatBytes(u.file.size)}</span>
      </p>
      {u.state === 'uploading' && (
        <p class="upload-progress">
          <label for={id}>{t('messages.upload.progress', { percent: formatNumber(share, { style: 'percent' }) })}</label>{' '}
          <progress id={id} max={u.total || 1} value={u.sent} />
        </p>
      )}
      {u.state === 'done' && u.hash && (
        <>
          <p class="upload-done">
            <span class="badge badge-ok">
              <span aria-hidden="true">✓ </span>
              {t('messages.upload.done')}
            </span>{' '}
            {u.local &&
              (u.local === u.hash ? (
                <span class="badge badge-ok" data-check="match">
                  {t('messages.upload.hash_match')}
                </span>
              ) : (
                <span class="badge badge-bad" data-check="mismatch">
                  {t('messages.upload.hash_mismatch')}
                </span>
              ))}
          </p>
          <p class="attachment-hash">
            <Hash hash={u.hash} />
          </p>
        </>
      )}
      {u.state === 'failed' &&
        (u.error instanceof ApiError && u.error.status === 413 ? (
          <p class="field-error">{t('messages.error.body')}</p>
        ) : (
          <ErrorNotice error={u.error} />
        ))}
      <button type="button" class="secondary small" data-action="remove" onClick={onRemove}>
        {t('messages.upload.remove')}
      </button>
    </>
  );
}
