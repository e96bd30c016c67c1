// Small building blocks shared by every screen: links that route on the
// client, personal names isolated in <bdi>, labelled form fields with their
// error messages, dates through Intl, translated error notices, and a button
// that copies a value.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { formatDateTime, has, t } from './i18n';
import { navigate } from './router';

export function Link(
  props: { href: string; children: ComponentChildren } & Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'>,
) {
  const { href, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(e: MouseEvent) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

// A personal name, shown as written (its own script), isolated from the
// surrounding text's direction so mixed Arabic/Latin never scrambles.
export function Name({ children }: { children: string }) {
  return (
    <bdi class="name" data-raw="">
      {children}
    </bdi>
  );
}

// A machine value (username, code, hash, identifier): left-to-right, isolated.
export function Code({ children }: { children: string | number }) {
  return (
    <bdi>
      <code dir="ltr" data-raw="">
        {children}
      </code>
    </bdi>
  );
}

export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

// The translated sentence for an API failure.
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('app.error.unexpected');
  if (error.slug === 'network') return t('app.error.network');
  switch (error.status) {
    case 400:
      return t('app.error.invalid');
    case 401:
      return t('app.error.unauthenticated');
    case 403:
      return t('app.error.forbidden');
    case 404:
      return t('app.error.not_found');
    case 409:
      return t('app.error.conflict');
    case 429:
      return t('app.error.rate_limited');
    default:
      return error.status >= 500 ? t('app.error.server') : t('app.error.unexpected');
  }
}

// A failure notice: the translated sentence, and the node's own explanation
// (in English, as the node wrote it) when it gives one.
export function ErrorNotice({ error }: { error: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const detail = error instanceof ApiError && error.status < 500 ? error.problem.detail : undefined;
  return (
    <div class="notice notice-error" role="alert" tabIndex={-1} ref={ref}>
      <p>{errorMessage(error)}</p>
      {detail && (
        <p class="server-detail">
          {t('app.error.node_says')}{' '}
          <bdi lang="en" data-raw="">
            {detail}
          </bdi>
        </p>
      )}
    </div>
  );
}

// The translated message for a field the node named in its problem, or null
// when the error is not about `field`. Looks up "<prefix>.error.<field>.<type>"
// then "<prefix>.error.<field>", else a generic sentence.
export function fieldError(error: unknown, prefix: string, field: string): string | null {
  if (!(error instanceof ApiError) || error.field !== field) return null;
  const specific = `${prefix}.error.${field}.${error.slug}`;
  if (has(specific)) return t(specific);
  const general = `${prefix}.error.${field}`;
  if (has(general)) return t(general);
  return t('app.error.field_invalid');
}

// True when the error is about one of `fields` (shown next to that field).
export function isFieldError(error: unknown, fields: readonly string[]): boolean {
  return error instanceof ApiError && error.field !== undefined && fields.includes(error.field);
}

interface FieldProps {
  id: string;
  label: string;
  error?: string | null;
  hint?: ComponentChildren;
  children: (aria: {
    id: string;
    'aria-invalid'?: 'true';
    'aria-describedby'?: string;
  }) => ComponentChildren;
}

// A labelled form control with an optional hint and error message, wired to
// the control with aria-describedby and aria-invalid.
export function Field({ id, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        ...(error ? { 'aria-invalid': 'true' as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

// Moves keyboard focus to the control of the field the node named.
export function focusField(error: unknown, ids: Record<string, string>): void {
  if (!(error instanceof ApiError) || !error.field) return;
  const id = ids[error.field];
  if (id) requestAnimationFrame(() => document.getElementById(id)?.focus());
}

// A message whose {placeholders} are filled with elements (e.g. a <Name>),
// for sentences that embed markup; plain values go through t() instead.
export function Msg({ k, values }: { k: string; values: Record<string, ComponentChildren> }) {
  const text = t(k);
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    parts.push(text.slice(last, m.index));
    parts.push(m[1] in values ? values[m[1]] : m[0]);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

// Who did something, from an audit actor ("user:ID:USERNAME", "cli:root",
// "system"): a user is shown by username.
export function Actor({ actor }: { actor: string }) {
  const m = actor.match(/^user:[^:]+:(.+)$/);
  return <Code>{m ? m[1] : actor}</Code>;
}

interface PagesProps {
  // 1-based page shown, its size and the number of items on all pages.
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

// Previous / next buttons for a numbered list; nothing when one page holds all.
export function Pages({ page, pageSize, total, onPage }: PagesProps) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last <= 1 && page <= 1) return null;
  return (
    <div class="pager">
      <button type="button" class="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('app.pager.previous')}
      </button>
      <span class="pager-where">{t('app.pager.where', { page, last })}</span>
      <button type="button" class="secondary" disabled={page >= last} onClick={() => onPage(page + 1)}>
        {t('app.pager.next')}
      </button>
    </div>
  );
}

// Puts `text` on the clipboard: the Clipboard API where the page may use it
// (a secure context: HTTPS or loopback), else a selected text area and the
// copy command. Rejects when neither works.
async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.insetBlockStart = '-100vh';
  document.body.appendChild(area);
  const focused = document.activeElement as HTMLElement | null;
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  focused?.focus();
  if (!copied) throw new Error('copy refused');
}

// A button copying `text` (a fingerprint, a key) whole, even when the screen
// shows it shortened. `label` names what is copied for assistive technology
// and starts with the visible word ("Copy the certificate fingerprint"). The
// outcome is announced in a polite live region; when copying fails the whole
// value is shown there to be selected by hand.
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = window.setTimeout(() => setState('idle'), 5000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = () => {
    writeClipboard(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <span class="copy">
      <button type="button" class="secondary small" aria-label={label} onClick={copy}>
        {t('app.copy')}
      </button>
      <span class="copy-status" role="status" data-state={state}>
        {state === 'copied' && t('app.copy.done')}
        {state === 'failed' && (
          <>
            {t('app.copy.failed')} <Code>{text}</Code>
          </>
        )}
      </span>
    </span>
  );
}
