// The node's REST API (docs/openapi.yaml), called with the session's bearer
// token. Every failure is an ApiError carrying the RFC 9457 problem (its
// `field` names the input member at fault).

import { clearSession, sessionToken } from './session';

export type Role = 'admin' | 'supervisor' | 'officer' | 'analyst' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'officer', 'analyst', 'auditor'];

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface Me {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  agency: string;
  // The actions the node's policy table allows this user's role
  // (permissions.ts asks it through can()).
  permissions: readonly string[];
}

export interface Agency {
  code: string;
  country: string;
  names: { en?: string; fr?: string; ar?: string };
  created_at: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  // The problem type's slug ("invalid-argument" from urn:jisr:problem:…), or
  // "network" when the node could not be reached.
  get slug(): string {
    const type = this.problem.type ?? '';
    return type.startsWith('urn:jisr:problem:') ? type.slice('urn:jisr:problem:'.length) : type;
  }

  get field(): string | undefined {
    return this.problem.field;
  }
}

// Called when the node answers 401 to a signed-in request: the session ended.
let onSessionEnded: () => void = () => {};
export function setSessionEndedHandler(handler: () => void): void {
  onSessionEnded = handler;
}

export interface CallOptions {
  // A JSON body.
  body?: unknown;
  // A body sent as it is (a file's text), with its media type.
  raw?: { text: string; type: string };
  // Why personal data is read (X-Purpose, recorded in the audit log).
  purpose?: string;
  // Query parameters; undefined and empty values are left out.
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

// The X-Purpose value for `purpose`: printable ASCII as it is; any other
// text (Arabic, accented letters) as an RFC 8187 extended value
// ("utf-8''" and percent-encoded UTF-8), since a browser sends only
// ISO-8859-1 in header values.
export function purposeHeader(purpose: string): string {
  return /^[\x20-\x7e]*$/.test(purpose) ? purpose : `utf-8''${encodeURIComponent(purpose)}`;
}

// A purpose as the node returns it, with an RFC 8187 extended value (see
// purposeHeader) decoded for display.
export function purposeText(stored: string): string {
  if (!/^utf-8''/i.test(stored)) return stored;
  try {
    return decodeURIComponent(stored.slice("utf-8''".length));
  } catch {
    return stored;
  }
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  else if (options.raw) headers['Content-Type'] = options.raw.type;
  if (options.purpose) headers['X-Purpose'] = purposeHeader(options.purpose);
  let url = path;
  if (options.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) {
      if (v !== undefined && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : options.raw?.text,
      signal: options.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { type: 'network' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, { type: 'malformed-response', status: response.status });
    }
  }
  if (!response.ok) {
    const problem = (data && typeof data === 'object' ? data : {}) as Problem;
    if (response.status === 401 && token) {
      clearSession();
      onSessionEnded();
    }
    throw new ApiError(response.status, problem);
  }
  return data as T;
}
