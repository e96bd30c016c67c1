// Pieces shared by the hit screens (and the alert page, which lists the
// hits on an alert): the API's shape of a hit and how its state is shown.

import { t } from '../../app/i18n';

// Stated with every read of hit reports (recorded in the audit log).
export const PURPOSE = 'hit report follow-up (web interface)';

export const HIT_STATES = ['reported', 'acknowledged', 'closed'] as const;
export type HitState = (typeof HIT_STATES)[number];

export interface Hit {
  id: string;
  alert_id: string;
  alert_owner: string;
  reporting_agency: string;
  state: HitState;
  false_match: boolean;
  place: string;
  occurred_at: string;
  circumstances: string;
  action_taken: string;
  contact: string;
  reply: string;
  reported_by: string;
  reported_at: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

export interface HitPage {
  hits: Hit[];
  page: number;
  page_size: number;
  total: number;
}

const BADGE: Record<HitState, string> = {
  reported: 'badge-warn',
  acknowledged: 'badge-ok',
  closed: 'badge-muted',
};

export function HitStateBadge({ hit }: { hit: Pick<Hit, 'state' | 'false_match'> }) {
  return (
    <>
      <span class={`badge ${BADGE[hit.state] ?? 'badge-muted'}`} data-state={hit.state}>
        {t(`hits.state.${hit.state}`)}
      </span>
      {hit.false_match && <span class="badge badge-muted">{t('hits.false_match')}</span>}
    </>
  );
}
