// The charts of the cooperation report, drawn in plain SVG: bars per
// partner for alerts, hit reports, messages and assistance requests
// exchanged, and the share of assistance requests answered within the legal
// deadline as a percentage bar per partner and direction. Every bar carries
// its label and its number in text (never colour alone); each chart is an
// image named by its title (role="img"), and the same figures are in the
// report's table. The layout is computed from the line's start, so in
// Arabic every bar grows from the right and its text sits to its left.

import { formatNumber, isRtl, t } from '../../app/i18n';
import type { PartnerRow } from './common';

// The drawing's width in user units (the SVG scales to its box).
const WIDTH = 720;
const LABEL = 200;
const VALUE = 110;
const BAR_H = 16;
const GAP = 6;
const HEAD = 24;

// A physical x from a distance from the line's start (and a width for a rect).
function physical(start: number, width = 0): number {
  return isRtl() ? WIDTH - start - width : start;
}

// The partner's heading in a chart: its code (and name when known), as written.
function PartnerHead({ row, y }: { row: PartnerRow; y: number }) {
  return (
    <text class="chart-partner" x={physical(0)} y={y} text-anchor="start" data-raw="">
      {row.name ? `${row.agency} — ${row.name}` : row.agency}
    </text>
  );
}

interface Series {
  key: string;
  cls: string;
  get: (r: PartnerRow) => number;
}

const SERIES: Series[] = [
  { key: 'alerts', cls: 's1', get: (r) => r.alerts.shared_with + r.alerts.received_from },
  { key: 'hits', cls: 's2', get: (r) => r.hits.by_partner + r.hits.by_us },
  { key: 'messages', cls: 's3', get: (r) => r.messages.sent + r.messages.received },
  { key: 'assistance', cls: 's4', get: (r) => r.assistance.sent.requests + r.assistance.received.requests },
];

// Alerts, hit reports, messages and assistance requests exchanged with each
// partner (both directions together), one group of bars per partner.
export function ExchangeChart({ rows }: { rows: PartnerRow[] }) {
  const max = Math.max(1, ...rows.flatMap((r) => SERIES.map((s) => s.get(r))));
  const span = WIDTH - LABEL - VALUE;
  const groupH = HEAD + SERIES.length * (BAR_H + GAP) + 10;
  const height = rows.length * groupH;
  return (
    <figure class="chart" aria-labelledby="chart-exchange-title">
      <figcaption id="chart-exchange-title">
        <h3>{t('reports.chart.exchange.title')}</h3>
        <p class="hint">{t('reports.chart.exchange.hint')}</p>
      </figcaption>
      <svg
        class="chart-svg exchange"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={t('reports.chart.exchange.label')}
        focusable="false"
      >
        {rows.map((r, i) => {
          const top = i * groupH;
          return (
            <g key={r.agency} data-partner={r.agency}>
              <PartnerHead row={r} y={top + 16} />
              {SERIES.map((s, j) => {
                const v = s.get(r);
                const w = (v / max) * span;
                const y = top + HEAD + j * (BAR_H + GAP);
                return (
                  <g key={s.key} data-series={s.key} data-value={v}>
                    <text class="chart-label" x={physical(8)} y={y + BAR_H - 3} text-anchor="start">
                      {t(`reports.chart.series.${s.key}`)}
                    </text>
                    <rect class="chart-track" x={physical(LABEL, span)} y={y} width={span} height={BAR_H} />
                    <rect class={`chart-bar ${s.cls}`} x={physical(LABEL, w)} y={y} width={w} height={BAR_H} />
                    <text class="chart-value" x={physical(LABEL + w + 6)} y={y + BAR_H - 3} text-anchor="start">
                      {formatNumber(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

// The share of assistance requests answered or refused within the legal
// deadline, per partner, for the requests we sent and those we received;
// "no response yet" when there is no response to measure.
export function DeadlineChart({ rows }: { rows: PartnerRow[] }) {
  const span = WIDTH - LABEL - VALUE - 60;
  const directions: { key: 'sent' | 'received'; cls: string }[] = [
    { key: 'sent', cls: 's1' },
    { key: 'received', cls: 's3' },
  ];
  const groupH = HEAD + directions.length * (BAR_H + GAP) + 10;
  const height = rows.length * groupH;
  return (
    <figure class="chart" aria-labelledby="chart-deadline-title">
      <figcaption id="chart-deadline-title">
        <h3>{t('reports.chart.deadline.title')}</h3>
        <p class="hint">{t('reports.chart.deadline.hint')}</p>
      </figcaption>
      <svg
        class="chart-svg deadline"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={t('reports.chart.deadline.label')}
        focusable="false"
      >
        {rows.map((r, i) => {
          const top = i * groupH;
          return (
            <g key={r.agency} data-partner={r.agency}>
              <PartnerHead row={r} y={top + 16} />
              {directions.map((d, j) => {
                const pct = r.assistance[d.key].within_deadline_pct;
                const w = pct === null ? 0 : (Math.max(0, Math.min(100, pct)) / 100) * span;
                const y = top + HEAD + j * (BAR_H + GAP);
                return (
                  <g key={d.key} data-direction={d.key} data-value={pct ?? ''}>
                    <text class="chart-label" x={physical(8)} y={y + BAR_H - 3} text-anchor="start">
                      {t(`reports.chart.direction.${d.key}`)}
                    </text>
                    <rect class="chart-track" x={physical(LABEL, span)} y={y} width={span} height={BAR_H} />
                    {pct !== null && (
                      <rect class={`chart-bar ${d.cls}`} x={physical(LABEL, w)} y={y} width={w} height={BAR_H} />
                    )}
                    <text class="chart-value" x={physical(LABEL + span + 6)} y={y + BAR_H - 3} text-anchor="start">
                      {pct === null
                        ? t('reports.no_response')
                        : formatNumber(pct / 100, { style: 'percent', maximumFractionDigits: 1 })}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
