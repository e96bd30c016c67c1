// Why a screened person matched an alert, drawn from the engine's
// explanation: the names' tokens aligned pair by pair (the screened token,
// the alert's token and their similarity), the tokens left unmatched, and
// the contribution of each feature (name, birth date, nationality, gender,
// document) as a bar: the name's similarity on a 0–1 scale, the others as
// a bonus (towards the line's end) or a penalty (towards its start).

import { Fragment } from 'preact';
import { formatNumber, has, t } from '../../app/i18n';
import { Countries, formatPartialDate } from '../alerts/common';

export interface AlignedToken {
  query: string;
  listed: string;
  similarity: number;
  query_code?: string;
  listed_code?: string;
}

export interface FeatureExplanation {
  query?: string | string[] | null;
  listed?: string | string[] | null;
  outcome: string;
  contribution: number;
}

export interface Explanation {
  score: number;
  name?: {
    score: number;
    aligned: AlignedToken[];
    unmatched_query?: string[];
    unmatched_listed?: string[];
    order_inversions?: number;
    joined?: string;
    query_name?: string;
    listed_name?: string;
  };
  features?: Record<string, FeatureExplanation>;
}

const FEATURES = ['name', 'birth_date', 'nationality', 'gender', 'document'] as const;
// The largest bonus or penalty of a feature (a document number in common,
// +0.25), the scale of the feature bars.
const FEATURE_SCALE = 0.25;

export function percent(score: number): string {
  return formatNumber(score, { style: 'percent', maximumFractionDigits: 0 });
}

function signed(n: number): string {
  return formatNumber(n, { signDisplay: 'exceptZero', minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

// A 0–1 bar (a score or a similarity); decorative, its value is in the text.
export function ScoreBar({ value }: { value: number }) {
  const v = Math.max(0, Math.min(1, value));
  return (
    <span class="bar" aria-hidden="true">
      <span class="bar-fill" style={{ '--size': `${(v * 100).toFixed(1)}%` }} />
    </span>
  );
}

// A bar centred on zero: a bonus grows towards the line's end, a penalty
// towards its start (mirrored in right-to-left languages).
function ContributionBar({ value }: { value: number }) {
  const size = Math.min(1, Math.abs(value) / FEATURE_SCALE) * 50;
  const kind = value > 0 ? 'plus' : value < 0 ? 'minus' : 'zero';
  return (
    <span class="bar bar-diverging" aria-hidden="true">
      <span class={`bar-fill bar-${kind}`} style={{ '--size': `${size.toFixed(1)}%` }} />
    </span>
  );
}

function list(v: string | string[] | null | undefined): string[] {
  if (!v) return [];
  return Array.isArray(v) ? v : v.split(/[\s,]+/).filter(Boolean);
}

function FeatureValues({ feature, f }: { feature: string; f: FeatureExplanation }) {
  const show = (side: 'query' | 'listed') => {
    const v = f[side];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return t('screening.explain.unknown');
    if (feature === 'birth_date') return formatPartialDate(String(v));
    if (feature === 'nationality') return <Countries codes={list(v)} />;
    if (feature === 'gender') {
      const key = `alerts.gender.${String(v)}`;
      return has(key) ? t(key) : t('screening.explain.unknown');
    }
    return t('screening.explain.unknown');
  };
  if (feature === 'name' || feature === 'document') return null;
  return (
    <span class="sub">
      {t('screening.explain.screened')} {show('query')}
      {' · '}
      {t('screening.explain.listed')} {show('listed')}
    </span>
  );
}

export function ExplanationView({ explanation, idPrefix }: { explanation: Explanation; idPrefix: string }) {
  const name = explanation.name;
  const features = explanation.features ?? {};
  return (
    <div class="explanation">
      {name && (
        <section aria-labelledby={`${idPrefix}-tokens`}>
          <h4 id={`${idPrefix}-tokens`}>{t('screening.explain.tokens')}</h4>
          {name.aligned.length > 0 ? (
            <table class="tokens">
              <thead>
                <tr>
                  <th scope="col">{t('screening.explain.screened_token')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('screening.explain.aligned_with')}</span>
                  </th>
                  <th scope="col">{t('screening.explain.listed_token')}</th>
                  <th scope="col">{t('screening.explain.similarity')}</th>
                </tr>
              </thead>
              <tbody>
                {name.aligned.map((p, i) => (
                  <tr key={i} class="token-pair">
                    <td>
                      <bdi class="token" data-raw="">
                        {p.query}
                      </bdi>
                    </td>
                    <td class="token-link" aria-hidden="true">
                      ⟷
                    </td>
                    <td>
                      <bdi class="token" data-raw="">
                        {p.listed}
                      </bdi>
                    </td>
                    <td class="similarity">
                      <span class="num">{percent(p.similarity)}</span>
                      <ScoreBar value={p.similarity} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t('screening.explain.no_pairs')}</p>
          )}
          {((name.unmatched_query?.length ?? 0) > 0 || (name.unmatched_listed?.length ?? 0) > 0) && (
            <dl class="facts unmatched">
              {(name.unmatched_query?.length ?? 0) > 0 && (
                <>
                  <dt>{t('screening.explain.unmatched_screened')}</dt>
                  <dd>
                    {name.unmatched_query!.map((x, i) => (
                      <Fragment key={i}>
                        {i > 0 && ' '}
                        <bdi class="token" data-raw="">
                          {x}
                        </bdi>
                      </Fragment>
                    ))}
                  </dd>
                </>
              )}
              {(name.unmatched_listed?.length ?? 0) > 0 && (
                <>
                  <dt>{t('screening.explain.unmatched_listed')}</dt>
                  <dd>
                    {name.unmatched_listed!.map((x, i) => (
                      <Fragment key={i}>
                        {i > 0 && ' '}
                        <bdi class="token" data-raw="">
                          {x}
                        </bdi>
                      </Fragment>
                    ))}
                  </dd>
                </>
              )}
            </dl>
          )}
          {(name.order_inversions ?? 0) > 0 && <p class="hint">{t('screening.explain.inversions', { count: name.order_inversions ?? 0 })}</p>}
          {name.joined && <p class="hint">{t('screening.explain.joined')}</p>}
        </section>
      )}
      <section aria-labelledby={`${idPrefix}-features`}>
        <h4 id={`${idPrefix}-features`}>{t('screening.explain.features')}</h4>
        <ul class="features">
          {FEATURES.filter((k) => features[k]).map((k) => {
            const f = features[k];
            const outcomeKey = `screening.outcome.${k}.${f.outcome}`;
            return (
              <li key={k} class="feature" data-feature={k} data-outcome={f.outcome}>
                <span class="feature-label">{t(`screening.feature.${k}`)}</span>
                <span class="feature-outcome">{has(outcomeKey) ? t(outcomeKey) : t('screening.explain.other_outcome')}</span>
                {k === 'name' ? <ScoreBar value={f.contribution} /> : <ContributionBar value={f.contribution} />}
                <span class="num feature-value">{k === 'name' ? percent(f.contribution) : signed(f.contribution)}</span>
                <FeatureValues feature={k} f={f} />
              </li>
            );
          })}
        </ul>
        <p class="total">
          {t('screening.explain.total', { score: percent(explanation.score) })}
        </p>
      </section>
    </div>
  );
}
