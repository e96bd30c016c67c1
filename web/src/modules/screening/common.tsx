// Pieces shared by the screening screens: one match (of one person or of a
// list's person) with its alert, score, warnings, action to take, the
// explanation, and the links to the alert and to filing a hit.

import type { Me } from '../../app/api';
import { Code, Link, Name } from '../../app/components';
import { t } from '../../app/i18n';
import { can } from '../../app/permissions';
import { pathFor } from '../../app/router';
import { Text, WarningFlags, type Category, type Warning } from '../alerts/common';
import { ALERT } from '../alerts/paths';
import { NEW_HIT } from '../hits/paths';
import { ExplanationView, percent, ScoreBar, type Explanation } from './explanation';

export interface MatchView {
  alert_id: string;
  score: number;
  matched_name: string;
  query_name?: string;
  category: Category;
  owner: string;
  action: string;
  warnings: Warning[];
  handling_code?: string;
  explanation: Explanation;
}

export function Match({ match, me, id, open }: { match: MatchView; me: Me; id: string; open?: boolean }) {
  return (
    <article class="match card" aria-labelledby={`${id}-title`} data-alert={match.alert_id}>
      <header class="match-head">
        <h3 id={`${id}-title`}>
          <Link href={pathFor(ALERT, { id: match.alert_id })}>
            <Name>{match.matched_name}</Name>
          </Link>
        </h3>
        <p class="score">
          <span class="score-value">{t('screening.match.score', { score: percent(match.score) })}</span>
          <ScoreBar value={match.score} />
        </p>
      </header>
      <p>
        {t(`alerts.category.${match.category}`)}
        {' · '}
        {t('screening.match.owner')} <Code>{match.owner}</Code>
        {match.handling_code && (
          <>
            {' · '}
            {t(`alerts.handling.${match.handling_code}`)}
          </>
        )}
      </p>
      {match.query_name && (
        <p class="sub-inline">
          {t('screening.match.query_name')} <Name>{match.query_name}</Name>
        </p>
      )}
      <WarningFlags warnings={match.warnings} />
      <p>
        <strong>{t('alerts.field.action')}</strong> <Text>{match.action}</Text>
      </p>
      <details class="why" open={open}>
        <summary>{t('screening.match.why')}</summary>
        <ExplanationView explanation={match.explanation} idPrefix={id} />
      </details>
      <div class="actions">
        <Link class="button secondary" href={pathFor(ALERT, { id: match.alert_id })}>
          {t('screening.match.open_alert')}
        </Link>
        {can(me, 'hit.report') && (
          <Link class="button" href={`${NEW_HIT}?alert=${encodeURIComponent(match.alert_id)}`}>
            {t('screening.match.report_hit')}
          </Link>
        )}
      </div>
    </article>
  );
}
