// The signed-in session: its bearer token and expiry, kept in this tab's
// sessionStorage (gone when the tab closes; never shared with other tabs),
// and what the node says about the user and the agency.

import type { Agency, Me } from './api';

const STORAGE_KEY = 'jisr.session';

export interface StoredSession {
  token: string;
  expires_at: string;
}

export interface Session extends StoredSession {
  me: Me;
  agency: Agency;
}

export function storedSession(): StoredSession | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const s = JSON.parse(text) as Partial<StoredSession>;
    if (typeof s.token !== 'string' || typeof s.expires_at !== 'string') return null;
    if (new Date(s.expires_at).getTime() <= Date.now()) return null;
    return { token: s.token, expires_at: s.expires_at };
  } catch {
    return null;
  }
}

export function sessionToken(): string | null {
  return storedSession()?.token ?? null;
}

export function storeSession(s: StoredSession): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}
