// Languages, message catalogues and locale-aware formatting.
//
// Every string the interface shows comes from a catalogue: each folder that
// owns screens keeps messages/{ar,en,fr}.json, with keys prefixed by the
// folder's name ("users.title"). scripts/check-messages.mjs fails the build
// when a key is missing from one language, a placeholder differs, or a key
// used in the code does not exist. A message is a string with {placeholders},
// or, for counts, an object keyed by plural category (Intl.PluralRules).
//
// The shell's own messages (app/messages, every language: sign-in, loading,
// errors) are in the entry chunk. The feature modules' messages are one
// chunk per language (catalogues/{ar,en,fr}.ts), loaded by loadMessages()
// when a language is first needed: together they weigh more than the code,
// and a user reads one language. The application shows a signed-in screen
// only once messagesLoader(lang()) is ready; while signed in, setLang()
// keeps the current language until the new one's messages have arrived.
//
// Dates, times and numbers are formatted with Intl in the chosen locale.

import { createLoader, type Loader } from './loader';

export type Lang = 'ar' | 'fr' | 'en';
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
type Catalogue = Record<string, Message>;

export const LANGS: readonly Lang[] = ['ar', 'fr', 'en'];

// The locale used by Intl for each language: Moroccan Arabic conventions
// (Latin digits, Maghreb month names), France's French, British English.
const LOCALES: Record<Lang, string> = { ar: 'ar-MA', fr: 'fr-FR', en: 'en-GB' };

// Each language's own name, shown in the language switcher.
export const LANG_NAMES: Record<Lang, string> = { ar: 'العربية', fr: 'Français', en: 'English' };

const STORAGE_KEY = 'jisr.lang';

const files = import.meta.glob<Catalogue>('./messages/*.json', {
  eager: true,
  import: 'default',
});

const catalogues: Record<Lang, Catalogue> = { ar: {}, fr: {}, en: {} };
for (const [path, messages] of Object.entries(files)) {
  const lang = path.slice(path.lastIndexOf('/') + 1, -'.json'.length) as Lang;
  if (!(lang in catalogues)) continue;
  Object.assign(catalogues[lang], messages);
}

// The feature modules' messages of each language, merged into its catalogue
// once loaded.
const moduleMessages: Record<Lang, () => Promise<{ default: Record<string, unknown> }>> = {
  ar: () => import('./catalogues/ar'),
  fr: () => import('./catalogues/fr'),
  en: () => import('./catalogues/en'),
};
const loaders = Object.fromEntries(
  LANGS.map((l) => [
    l,
    createLoader(async () => {
      const { default: messages } = await moduleMessages[l]();
      Object.assign(catalogues[l], messages as Catalogue);
      return true;
    }),
  ]),
) as Record<Lang, Loader<true>>;

// The loader of `l`'s feature-module messages (see loadMessages).
export function messagesLoader(l: Lang = current): Loader<true> {
  return loaders[l];
}

// Loads `l`'s feature-module messages (once; again after a failure).
// Resolves when they are in the catalogue; never rejects (the loader's
// state tells a failure).
export function loadMessages(l: Lang = current): Promise<void> {
  return loaders[l].retry().then(
    () => undefined,
    () => undefined,
  );
}

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    // Storage may be disabled; fall through to the browser's languages.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function locale(): string {
  return LOCALES[current];
}

export function isRtl(l: Lang = current): boolean {
  return l === 'ar';
}

// Applies the language to <html> (lang, dir) without notifying.
export function applyLangToDocument(): void {
  document.documentElement.lang = current;
  document.documentElement.dir = isRtl() ? 'rtl' : 'ltr';
}

// When true (signed in, a module's screen on show), setLang() waits for the
// new language's messages before switching, so the screen keeps its state
// and never shows a missing message; when false (sign-in), it switches at
// once (the shell's messages are all there) and loads them behind.
let waitForMessages = false;

export function setWaitForMessages(on: boolean): void {
  waitForMessages = on;
}

// The language asked for while its messages load (null when none).
let pending: Lang | null = null;

export function pendingLang(): Lang | null {
  return pending;
}

// The language last asked for whose messages failed to load (null when none).
let failed: Lang | null = null;

export function failedLang(): Lang | null {
  return failed;
}

function switchTo(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered when storage is disabled; the switch still applies.
  }
  applyLangToDocument();
  for (const listener of listeners) listener();
}

// Switches the language, remembers it and re-renders subscribers; see
// setWaitForMessages for when it waits for the language's messages. A
// failed load leaves the language as it was (messagesLoader(next) says why)
// and notifies, so the switcher can tell.
export function setLang(next: Lang): void {
  if (next === current && pending === null && failed === null) return;
  failed = null;
  if (next === current || !waitForMessages || loaders[next].state().kind === 'ready') {
    pending = null;
    void loadMessages(next);
    switchTo(next);
    return;
  }
  pending = next;
  for (const listener of listeners) listener();
  void loadMessages(next).then(() => {
    if (pending !== next) return;
    pending = null;
    if (loaders[next].state().kind === 'ready') switchTo(next);
    else {
      failed = next;
      for (const listener of listeners) listener();
    }
  });
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type Params = Record<string, string | number>;

// True when `key` exists in the current catalogue.
export function has(key: string): boolean {
  return key in catalogues[current];
}

// Returns the message `key` in the current language with {placeholders}
// replaced (numbers formatted for the locale). A message with plural forms
// picks its form by params.count. A missing key is reported on the console
// (which fails the browser tests) and shown as the key itself.
export function t(key: string, params: Params = {}): string {
  const message = catalogues[current][key];
  if (message === undefined) {
    console.error(`missing message "${key}" in ${current}`);
    return key;
  }
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = Number(params.count ?? 0);
    const rule = new Intl.PluralRules(locale()).select(count);
    text = message[rule] ?? message.other ?? key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale(), options).format(n);
}

// An identifier-like integer (sequence numbers): locale digits, no grouping.
export function formatSeq(n: number): string {
  return formatNumber(n, { useGrouping: false });
}

// A date and time from an RFC 3339 string, in the browser's time zone.
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

// A time of day with seconds ("14:03:22"), for what changes by the second.
export function formatTime(d: Date): string {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(d);
}

// A date (no time) from an RFC 3339 string.
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(d);
}

// A length of time for people ("3 minutes", "2 hours, 5 minutes",
// "٣ أيام"): its largest unit and, below a day's worth of that unit, the
// next one, each spelt out by Intl.NumberFormat and joined by
// Intl.ListFormat. Under a second reads as "0 seconds".
export function formatDuration(seconds: number): string {
  const units: [Intl.NumberFormatOptions['unit'], number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(formatNumber(n, { style: 'unit', unit, unitDisplay: 'long' }));
    else if (parts.length > 0) break;
  }
  if (parts.length === 0) parts.push(formatNumber(0, { style: 'unit', unit: 'second', unitDisplay: 'long' }));
  try {
    return new Intl.ListFormat(locale(), { type: 'unit', style: 'long' }).format(parts);
  } catch {
    return parts.join(' ');
  }
}

// A country's name from its ISO 3166-1 alpha-2 code, in the current language.
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

// A language's name in the current language ("French", "français", "الفرنسية").
export function languageName(code: Lang): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
