// Languages, message catalogues and locale-aware formatting.
//
// Every string the interface shows comes from a catalogue: each folder that
// owns screens keeps messages/{ar,en,fr}.json, with keys prefixed by the
// folder's name ("users.title"). scripts/check-messages.mjs fails the build
// when a key is missing from one language, a placeholder differs, or a key
// used in the code does not exist. A message is a string with {placeholders},
// or, for counts, an object keyed by plural category (Intl.PluralRules).
//
// Dates, times and numbers are formatted with Intl in the chosen locale.

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

const files = import.meta.glob<Catalogue>('../**/messages/*.json', {
  eager: true,
  import: 'default',
});

const catalogues: Record<Lang, Catalogue> = { ar: {}, fr: {}, en: {} };
for (const [path, messages] of Object.entries(files)) {
  const lang = path.slice(path.lastIndexOf('/') + 1, -'.json'.length) as Lang;
  if (!(lang in catalogues)) continue;
  Object.assign(catalogues[lang], messages);
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

// Switches the language, remembers it and re-renders subscribers.
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered when storage is disabled; the switch still applies.
  }
  applyLangToDocument();
  for (const listener of listeners) listener();
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
