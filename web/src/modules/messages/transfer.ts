// Moving attachment bytes to and from the node with the session's bearer
// token: an upload with its progress (XMLHttpRequest, since fetch reports
// none) and a download into a blob (a link cannot carry the Authorization
// header), each checked against the BLAKE2b-256 the node names it by.

import { ApiError, purposeHeader, type Problem } from '../../app/api';
import { sessionToken } from '../../app/session';
import { blake2b256OfBlob } from './blake2b';

export interface Uploaded {
  hash: string;
  size: number;
  algorithm: string;
  new_bytes: boolean;
}

function problemOf(status: number, text: string): ApiError {
  let problem: Problem = {};
  try {
    const data = JSON.parse(text) as unknown;
    if (data && typeof data === 'object') problem = data as Problem;
  } catch {
    problem = { type: 'malformed-response', status };
  }
  return new ApiError(status, problem);
}

// POSTs `file` to /api/v1/attachments; `onProgress(sent, total)` follows the
// bytes leaving. Resolves with the node's answer; rejects with an ApiError
// (413 names `body` when the file is over the node's limit), or an
// AbortError when `signal` aborts.
export function uploadAttachment(
  file: Blob,
  purpose: string,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/attachments');
    const token = sessionToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-Purpose', purposeHeader(purpose));
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, { type: 'network' }));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          resolve(JSON.parse(xhr.responseText) as Uploaded);
        } catch {
          reject(new ApiError(xhr.status, { type: 'malformed-response', status: xhr.status }));
        }
        return;
      }
      reject(problemOf(xhr.status, xhr.responseText));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

export interface Downloaded {
  blob: Blob;
  // The hash the node declares (X-Attachment-Hash) and the one computed here.
  declared: string;
  computed: string;
  // The handling codes of the messages naming it (X-Handling-Codes).
  handlingCodes: string;
}

// GETs an attachment's bytes with the bearer token and hashes them here.
// Rejects with an ApiError (409 while a partner's bytes are on their way).
export async function downloadAttachment(hash: string, purpose: string): Promise<Downloaded> {
  const headers: Record<string, string> = { 'X-Purpose': purposeHeader(purpose) };
  const token = sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1/attachments/${encodeURIComponent(hash)}`, {
      headers,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { type: 'network' });
  }
  if (!response.ok) throw problemOf(response.status, await response.text());
  const blob = await response.blob();
  const declared = (response.headers.get('X-Attachment-Hash') ?? '').replace(/^blake2b-256=/, '');
  return {
    blob,
    declared,
    computed: await blake2b256OfBlob(blob),
    handlingCodes: response.headers.get('X-Handling-Codes') ?? '',
  };
}

// Hands a blob to the browser to save as `name`.
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// GETs a thread's text export (markings and H1 banners included, as the node
// writes it) and hands it to the browser to save.
export async function saveThreadExport(threadId: string, purpose: string): Promise<void> {
  const headers: Record<string, string> = { 'X-Purpose': purposeHeader(purpose), Accept: 'text/plain' };
  const token = sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1/threads/${encodeURIComponent(threadId)}/export`, {
      headers,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { type: 'network' });
  }
  if (!response.ok) throw problemOf(response.status, await response.text());
  saveBlob(await response.blob(), `thread-${threadId}.txt`);
}
