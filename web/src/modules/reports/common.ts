// The cooperation report as the node returns it (GET
// /api/v1/reports/cooperation, docs/reports.md), the columns of its table
// (one per figure, in the order of the node's CSV) and the period helpers.

export interface AssistanceFigures {
  requests: number;
  answered: number;
  refused: number;
  responded_in_time: number;
  within_deadline_pct: number | null;
}

export interface Figures {
  alerts: { shared_with: number; received_from: number; in_force_shared_with: number; in_force_received_from: number };
  hits: { by_partner: number; by_us: number };
  assistance: { sent: AssistanceFigures; received: AssistanceFigures };
  messages: { sent: number; received: number };
  operations: { joint: number; led_by_us: number; led_by_partner: number };
  trainings: { sessions_provided: number; sessions_attended: number; participants_trained: number };
  event_screenings: { campaigns: number; screened: number; matched: number; refused: number };
}

export interface PartnerRow extends Figures {
  agency: string;
  // The partner's English name from its card; null for an agency that is
  // not a registered partner node.
  name: string | null;
}

export interface CooperationReport {
  from: string;
  to: string;
  generated_at: string;
  agency: string;
  partners: PartnerRow[];
  totals: Figures;
}

// A column of the table: its group, its message key (reports.figure.<key>)
// and how to read it; `pct` values are percentages or null.
export interface Column {
  group: string;
  key: string;
  get: (f: Figures) => number | null;
  pct?: boolean;
}

export const COLUMNS: Column[] = [
  { group: 'alerts', key: 'alerts_shared_with', get: (f) => f.alerts.shared_with },
  { group: 'alerts', key: 'alerts_received_from', get: (f) => f.alerts.received_from },
  { group: 'alerts', key: 'alerts_in_force_shared_with', get: (f) => f.alerts.in_force_shared_with },
  { group: 'alerts', key: 'alerts_in_force_received_from', get: (f) => f.alerts.in_force_received_from },
  { group: 'hits', key: 'hits_by_partner', get: (f) => f.hits.by_partner },
  { group: 'hits', key: 'hits_by_us', get: (f) => f.hits.by_us },
  { group: 'assistance_sent', key: 'assistance_sent', get: (f) => f.assistance.sent.requests },
  { group: 'assistance_sent', key: 'assistance_sent_answered', get: (f) => f.assistance.sent.answered },
  { group: 'assistance_sent', key: 'assistance_sent_refused', get: (f) => f.assistance.sent.refused },
  { group: 'assistance_sent', key: 'assistance_sent_within_deadline_pct', get: (f) => f.assistance.sent.within_deadline_pct, pct: true },
  { group: 'assistance_received', key: 'assistance_received', get: (f) => f.assistance.received.requests },
  { group: 'assistance_received', key: 'assistance_received_answered', get: (f) => f.assistance.received.answered },
  { group: 'assistance_received', key: 'assistance_received_refused', get: (f) => f.assistance.received.refused },
  {
    group: 'assistance_received',
    key: 'assistance_received_within_deadline_pct',
    get: (f) => f.assistance.received.within_deadline_pct,
    pct: true,
  },
  { group: 'messages', key: 'messages_sent', get: (f) => f.messages.sent },
  { group: 'messages', key: 'messages_received', get: (f) => f.messages.received },
  { group: 'operations', key: 'operations', get: (f) => f.operations.joint },
  { group: 'operations', key: 'operations_led_by_us', get: (f) => f.operations.led_by_us },
  { group: 'operations', key: 'operations_led_by_partner', get: (f) => f.operations.led_by_partner },
  { group: 'trainings', key: 'training_sessions_provided', get: (f) => f.trainings.sessions_provided },
  { group: 'trainings', key: 'training_sessions_attended', get: (f) => f.trainings.sessions_attended },
  { group: 'trainings', key: 'training_participants_trained', get: (f) => f.trainings.participants_trained },
  { group: 'event_screenings', key: 'screening_campaigns', get: (f) => f.event_screenings.campaigns },
  { group: 'event_screenings', key: 'applicants_screened', get: (f) => f.event_screenings.screened },
  { group: 'event_screenings', key: 'applicants_matched', get: (f) => f.event_screenings.matched },
  { group: 'event_screenings', key: 'applicants_refused', get: (f) => f.event_screenings.refused },
];

// The groups of columns in order, each with its number of columns.
export function columnGroups(): { group: string; span: number }[] {
  const out: { group: string; span: number }[] = [];
  for (const c of COLUMNS) {
    const last = out[out.length - 1];
    if (last && last.group === c.group) last.span++;
    else out.push({ group: c.group, span: 1 });
  }
  return out;
}

// A day (YYYY-MM-DD, UTC) `months` calendar months before `day` (the 29th
// of February less twelve months gives the 1st of March, as the node does).
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 - months, d));
  return date.toISOString().slice(0, 10);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s);
}
