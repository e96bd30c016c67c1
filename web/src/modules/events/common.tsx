// Pieces shared by the major-events screens (src/events on the node,
// docs/events.md): the API's shapes, the vocabularies, the severity badge
// (colour AND words), the campaign's upload (kept in one function: the
// upload API is changing), and polling.

import { useEffect, useRef } from 'preact/hooks';
import { call } from '../../app/api';
import { t } from '../../app/i18n';
import { splitCsv } from './split';

// Stated with every read naming persons (incidents, deployments,
// applicants): recorded in the audit log.
export const PURPOSE = 'major event security: incident log, deployments, accreditation (web interface)';

export const INCIDENT_TYPES = [
  'public_order',
  'violence',
  'terrorism_threat',
  'suspicious_item',
  'wanted_person',
  'crowd_safety',
  'ticket_fraud',
  'cyber',
  'medical',
  'other',
] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const DECISIONS = ['pending', 'cleared', 'referred', 'refused'] as const;
export const REVIEW_ACTIONS = ['clear', 'refer', 'refuse'] as const;

export interface Venue {
  code: string;
  name: string;
  city?: string;
}
export interface MajorEvent {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
  venues: Venue[];
  partners: string[];
  description: string;
  host: string;
  version: number;
  created_at: string;
  copy?: boolean;
}
export interface Incident {
  id: string;
  event_id: string;
  occurred_at: string;
  venue: string;
  type: string;
  severity: string;
  description: string;
  alert_ids: string[];
  persons: string[];
  owner: string;
  reported_by: string;
  created_at: string;
  copy?: boolean;
}
export interface Deployment {
  id: string;
  officer_name: string;
  agency: string;
  role: string;
  venue: string;
  starts_at: string;
  ends_at: string;
  contact: string;
  copy?: boolean;
}
export interface Campaign {
  id: string;
  event_id: string;
  name: string;
  job_id: string;
  purpose: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  state: 'uploading' | 'screening' | 'reviewing' | 'complete';
  progress: number;
  counts: { total: number; screened: number; matched: number; pending: number; cleared: number; referred: number; refused: number };
}
export interface Applicant {
  campaign_id: string;
  item: number;
  input_id: string;
  input_name: string;
  alert_id: string;
  score: number;
  matches: number;
  decision: string;
  reviewer: string;
  reason: string;
  decided_at: string | null;
}

// The largest part sent in one request: under the node's request body limit
// (1 MiB by default), with room for the header line.
export const PART_BYTES = 900_000;

// Starts an accreditation campaign for `eventId` with the applicants' CSV;
// resolves to the campaign, screening. The one place that knows how the
// upload is sent (docs/openapi.yaml): a list that fits in one request is
// the body of POST /api/v1/events/{id}/campaigns; a longer one is sent in
// parts — the campaign created with ?parts=true (state uploading), each
// part POSTed to /api/v1/campaigns/{id}/applicants (a bad part stores
// nothing; its error names the part and line, field "input"), then
// POST /api/v1/campaigns/{id}/start. `onPart` reports each part sent.
export async function uploadCampaign(
  eventId: string,
  input: { name: string; purpose: string; csv: string },
  onPart: (sent: number, parts: number) => void = () => {},
  partBytes = PART_BYTES,
): Promise<Campaign> {
  const base = `/api/v1/events/${encodeURIComponent(eventId)}/campaigns`;
  if (new TextEncoder().encode(input.csv).length <= partBytes) {
    return call<Campaign>('POST', base, {
      query: { name: input.name },
      raw: { text: input.csv, type: 'text/csv' },
      purpose: input.purpose,
    });
  }
  const parts = splitCsv(input.csv, partBytes);
  const campaign = await call<Campaign>('POST', base, { query: { name: input.name, parts: 'true' }, purpose: input.purpose });
  const id = encodeURIComponent(campaign.id);
  for (let i = 0; i < parts.length; i++) {
    await call('POST', `/api/v1/campaigns/${id}/applicants`, { raw: { text: parts[i], type: 'text/csv' }, purpose: input.purpose });
    onPart(i + 1, parts.length);
  }
  return call<Campaign>('POST', `/api/v1/campaigns/${id}/start`, { purpose: input.purpose });
}

const SEVERITY_LOOK: Record<string, { cls: string; icon: string }> = {
  low: { cls: 'badge-muted', icon: '·' },
  medium: { cls: 'badge-warn', icon: '!' },
  high: { cls: 'badge-bad', icon: '⚠' },
  critical: { cls: 'badge-critical', icon: '⛔' },
};

export function Severity({ severity }: { severity: string }) {
  const look = SEVERITY_LOOK[severity] ?? SEVERITY_LOOK.low;
  return (
    <span class={`badge ${look.cls}`} data-severity={severity}>
      <span aria-hidden="true">{look.icon} </span>
      {t(`events.severity.${severity}`)}
    </span>
  );
}

// Calls `tick` now and every `ms` while `active`; a tick still running is
// not started again.
export function usePoll(tick: () => Promise<void>, ms: number, deps: unknown[], active = true): void {
  const running = useRef(false);
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const run = () => {
      if (running.current || stopped) return;
      running.current = true;
      latest.current().finally(() => {
        running.current = false;
      });
    };
    run();
    const timer = window.setInterval(run, ms);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [...deps, active, ms]);
}

// A local date-time input's value ("2026-11-25T14:30") as RFC 3339 in UTC.
export function toRfc3339(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Now as a local date-time input's value.
export function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
