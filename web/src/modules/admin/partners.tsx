// The partner nodes (GET /api/v1/federation/peers, action federation.read):
// each partner's identity (agency code and name, federation URL, pinned
// certificate, when it was added and by whom) and the health of deliveries
// to it (envelopes pending and delivered, age of the oldest pending one, last
// delivery, attempts, last error, dead letters: envelopes the partner kept
// refusing, which administrators send again or discard, see
// dead_letters.tsx) under a status badge; recipients that alerts are shared
// with but that are not paired yet are listed as such.
// The list refreshes itself every 10 seconds. Pairing happens at the node's
// host (`jisr peer card` / `jisr peer add`), which the page explains.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Actor, Code, CopyButton, DateTime, errorMessage, ErrorNotice, Link } from '../../app/components';
import { countryName, formatDuration, formatNumber, formatTime, lang, t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import type { Me } from '../../app/api';
import { AgencyName } from '../../app/shell';
import { DeadLetters } from './dead_letters';
import { ADMIN } from './paths';

// How often the list is read again.
export const REFRESH_MS = 10_000;

export interface PeerHealth {
  peer: {
    agency: string;
    // False for a recipient named in share_with that is not paired yet: only
    // its code is known.
    registered: boolean;
    country?: string;
    names?: { en?: string; fr?: string; ar?: string };
    federation_url?: string;
    tls_fingerprint?: string;
    signing_key?: string;
    added_by?: string;
    added_at?: string;
  };
  outbox: {
    pending: number;
    delivered: number;
    oldest_pending_age_seconds: number | null;
    last_delivered: string | null;
    max_attempts: number;
    last_error: string;
    // Dead-lettered: refused max_refusals times, no longer sent.
    dead: number;
    last_dead_error: string;
  };
  inbox: {
    received: number;
    last_received: string | null;
  };
}

export type Health = 'healthy' | 'backlog' | 'failing';

// healthy: nothing waits to be sent and nothing was set aside; failing:
// dead letters wait for an administrator, or envelopes wait and an attempt
// to deliver them failed; backlog: envelopes wait, none has failed yet (just
// written, or the recipient is not paired).
export function healthOf(h: PeerHealth): Health {
  if ((h.outbox.dead ?? 0) > 0) return 'failing';
  if (h.outbox.pending === 0) return 'healthy';
  if (h.outbox.last_error || h.outbox.max_attempts > 0) return 'failing';
  return 'backlog';
}

const BADGE: Record<Health, { cls: string; icon: string }> = {
  healthy: { cls: 'badge-ok', icon: '✓' },
  backlog: { cls: 'badge-warn', icon: '⚠' },
  failing: { cls: 'badge-bad', icon: '✕' },
};

export function HealthBadge({ health }: { health: Health }) {
  const { cls, icon } = BADGE[health];
  return (
    <span class={`badge health ${cls}`} data-health={health}>
      <span aria-hidden="true">{icon}</span> {t(`admin.health.${health}`)}
    </span>
  );
}

// "sha256:1a2b3c4d…5e6f7a8b": enough to recognise a certificate at a glance.
export function shortFingerprint(fingerprint: string): string {
  const m = fingerprint.match(/^(sha256:)?([0-9a-f]+)$/i);
  if (!m || m[2].length <= 20) return fingerprint;
  return `${m[1] ?? ''}${m[2].slice(0, 8)}…${m[2].slice(-8)}`;
}

function Count({ field, n }: { field: string; n: number }) {
  return (
    <dd data-field={field} data-value={n}>
      {formatNumber(n)}
    </dd>
  );
}

function Never() {
  return <span class="sub-inline">{t('admin.partners.never')}</span>;
}

function Partner({ h, me, onChanged }: { h: PeerHealth; me: Me; onChanged: () => void }) {
  const { peer, outbox, inbox } = h;
  const health = healthOf(h);
  const id = `peer-${peer.agency}`;
  const dead = outbox.dead ?? 0;
  let status: string;
  if (dead > 0) status = t('admin.partners.status.dead', { count: dead });
  else if (health === 'healthy') status = t('admin.partners.status.healthy');
  else if (!peer.registered) status = t('admin.partners.status.unregistered', { count: outbox.pending });
  else if (health === 'backlog') status = t('admin.partners.status.backlog', { count: outbox.pending });
  else status = t('admin.partners.status.failing', { count: outbox.pending });
  return (
    <section
      class="card peer"
      aria-labelledby={`${id}-title`}
      data-peer={peer.agency}
      data-registered={String(peer.registered)}
      data-health={health}
      data-dead={dead}
    >
      <h2 id={`${id}-title`}>
        {peer.registered && peer.names ? (
          <>
            <AgencyName agency={{ code: peer.agency, names: peer.names }} /> <Code>{peer.agency}</Code>
          </>
        ) : (
          <Code>{peer.agency}</Code>
        )}
      </h2>
      <p class="peer-status">
        <HealthBadge health={health} />
        {!peer.registered && (
          <>
            {' '}
            <span class="badge badge-muted" data-registered="false">
              {t('admin.partners.not_registered')}
            </span>
          </>
        )}
      </p>
      <p class="peer-status-text">{status}</p>

      {peer.registered && (
        <>
          <h3>{t('admin.partners.identity')}</h3>
          <dl class="facts">
            {peer.country && (
              <>
                <dt>{t('admin.field.country')}</dt>
                <dd>{countryName(peer.country)}</dd>
              </>
            )}
            <dt>{t('admin.field.federation_url')}</dt>
            <dd>
              <Code>{peer.federation_url ?? ''}</Code>
            </dd>
            <dt>{t('admin.field.fingerprint')}</dt>
            <dd class="fingerprint">
              <Code>{shortFingerprint(peer.tls_fingerprint ?? '')}</Code>{' '}
              <CopyButton
                text={peer.tls_fingerprint ?? ''}
                label={t('admin.field.fingerprint.copy', { agency: peer.names?.[lang()] || peer.agency })}
              />
            </dd>
            <dt>{t('admin.field.added_at')}</dt>
            <dd>{peer.added_at ? <DateTime iso={peer.added_at} /> : <Never />}</dd>
            <dt>{t('admin.field.added_by')}</dt>
            <dd>{peer.added_by ? <Actor actor={peer.added_by} /> : <Never />}</dd>
          </dl>
        </>
      )}

      <h3>{t('admin.partners.delivery')}</h3>
      <dl class="facts">
        <dt>{t('admin.field.pending')}</dt>
        <Count field="pending" n={outbox.pending} />
        <dt>{t('admin.field.delivered')}</dt>
        <Count field="delivered" n={outbox.delivered} />
        <dt>{t('admin.field.oldest_pending')}</dt>
        <dd data-field="oldest-pending">
          {outbox.oldest_pending_age_seconds === null ? (
            <span class="sub-inline">{t('admin.partners.none_pending')}</span>
          ) : (
            formatDuration(outbox.oldest_pending_age_seconds)
          )}
        </dd>
        <dt>{t('admin.field.last_delivered')}</dt>
        <dd data-field="last-delivered">
          {outbox.last_delivered ? <DateTime iso={outbox.last_delivered} /> : <Never />}
        </dd>
        <dt>{t('admin.field.attempts')}</dt>
        <Count field="attempts" n={outbox.max_attempts} />
        <dt>{t('admin.field.last_error')}</dt>
        <dd data-field="last-error">
          {outbox.last_error ? (
            <bdi class="server-detail" lang="en" data-raw="">
              {outbox.last_error}
            </bdi>
          ) : (
            <span class="sub-inline">{t('admin.partners.no_error')}</span>
          )}
        </dd>
        <dt>{t('admin.field.dead')}</dt>
        <Count field="dead" n={dead} />
        {dead > 0 && (
          <>
            <dt>{t('admin.field.last_dead_error')}</dt>
            <dd data-field="last-dead-error">
              <bdi class="server-detail" lang="en" data-raw="">
                {outbox.last_dead_error}
              </bdi>
            </dd>
          </>
        )}
      </dl>
      <DeadLetters agency={peer.agency} count={dead} me={me} onChanged={onChanged} />

      {peer.registered && (
        <>
          <h3>{t('admin.partners.received')}</h3>
          <dl class="facts">
            <dt>{t('admin.field.received')}</dt>
            <Count field="received" n={inbox.received} />
            <dt>{t('admin.field.last_received')}</dt>
            <dd>{inbox.last_received ? <DateTime iso={inbox.last_received} /> : <Never />}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

function Pairing() {
  return (
    <section class="card pairing" aria-labelledby="pairing-title">
      <h2 id="pairing-title">{t('admin.pairing.title')}</h2>
      <p>{t('admin.pairing.intro')}</p>
      <ol>
        <li>
          <p>{t('admin.pairing.card')}</p>
          <pre dir="ltr" data-raw="">
            <code>jisr peer card --data DIR --output our-card.json</code>
          </pre>
        </li>
        <li>
          <p>{t('admin.pairing.exchange')}</p>
        </li>
        <li>
          <p>{t('admin.pairing.add')}</p>
          <pre dir="ltr" data-raw="">
            <code>jisr peer add --data DIR --card partner-card.json</code>
          </pre>
        </li>
        <li>
          <p>{t('admin.pairing.after')}</p>
        </li>
      </ol>
      <p>{t('admin.pairing.remove')}</p>
      <pre dir="ltr" data-raw="">
        <code>jisr peer remove --data DIR --agency CODE</code>
      </pre>
      <p class="hint">
        {t('admin.pairing.more')} <Code>docs/federation.md</Code>
      </p>
    </section>
  );
}

export function Partners({ me }: ScreenProps) {
  const [peers, setPeers] = useState<PeerHealth[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  // Bumped by "Refresh now": reads at once and restarts the 10-second cycle.
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    const load = () => {
      call<{ peers: PeerHealth[] }>('GET', '/api/v1/federation/peers', { signal: controller.signal })
        .then(
          (r) => {
            setPeers(r.peers);
            setUpdatedAt(new Date());
            setError(null);
          },
          (e) => {
            if (!controller.signal.aborted) setError(e);
          },
        )
        .finally(() => {
          if (!controller.signal.aborted) timer = window.setTimeout(load, REFRESH_MS);
        });
    };
    load();
    return () => {
      controller.abort();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [round]);

  return (
    <>
      <p class="breadcrumb">
        <Link href={ADMIN}>{t('admin.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('admin.partners.title')}</h1>
      <p>{t('admin.partners.intro')}</p>
      {/* A failed first read takes focus; a failed refresh only says so, so
          that the page does not pull focus away every 10 seconds. */}
      {error && !peers && <ErrorNotice error={error} />}
      {error && peers && (
        <div class="notice notice-error refresh-failed">
          <p>
            {t('admin.partners.refresh_failed')} {errorMessage(error)}
          </p>
        </div>
      )}
      <div class="refresh">
        {updatedAt && (
          <p class="hint" data-updated={updatedAt.toISOString()}>
            {t('admin.partners.updated', { time: formatTime(updatedAt), seconds: REFRESH_MS / 1000 })}
          </p>
        )}
        <button type="button" class="secondary small" onClick={() => setRound((r) => r + 1)}>
          {t('admin.partners.refresh')}
        </button>
      </div>
      {!peers && !error && <p role="status">{t('app.loading')}</p>}
      {peers && peers.length === 0 && <p class="notice">{t('admin.partners.empty')}</p>}
      {peers && peers.length > 0 && (
        <div class="cards peers">
          {peers.map((h) => (
            <Partner key={h.peer.agency} h={h} me={me} onChanged={() => setRound((r) => r + 1)} />
          ))}
        </div>
      )}
      <Pairing />
    </>
  );
}
