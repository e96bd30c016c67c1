// The technical-assistance catalogue: what each agency offers (forensics,
// cybercrime, explosives, dog units, …), ours and partners' read-only
// copies with the envelope that brought them (sender, when sent and
// received), filtered by domain (?domain=); a partner's active item leads
// to a technical-assistance request to that partner naming the item
// (/assistance/new?type=technical_assistance&partner=…&item=…). Supervisors and administrators
// (training.manage) offer an item and edit ours (deactivating it keeps it
// listed as inactive).

import { useState } from 'preact/hooks';
import { call } from '../../app/api';
import { Code, DateTime, ErrorNotice, Link, Pages } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { currentQuery, navigate } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { DOMAINS, Languages, Owner, PURPOSE, type CatalogueItem } from './common';
import { ItemForm } from './forms';
import './training.css';
import { newRequestHref } from '../assistance/common';
import { CATALOGUE, TRAINING } from './paths';

const PAGE_SIZE = 50;

function Item({
  item,
  self,
  manage,
  request,
  onSaved,
}: {
  item: CatalogueItem;
  self: string;
  manage: boolean;
  // True when the user may submit an assistance request (assistance.create).
  request: boolean;
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const ours = item.owner === self;
  const titleId = `item-${item.id}-title`;
  return (
    <li class="card catalogue-item" aria-labelledby={titleId} data-item={item.title} data-owner={item.owner}>
      <h2 id={titleId}>
        <bdi data-raw="">{item.title}</bdi>
      </h2>
      <p>
        <span class="badge badge-muted" data-domain={item.domain}>
          {t(`training.domain.${item.domain}`)}
        </span>{' '}
        <Owner owner={item.owner} self={self} />{' '}
        {!item.active && <span class="badge badge-warn">{t('training.inactive')}</span>}
      </p>
      {editing ? (
        <ItemForm
          item={item}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <dl class="facts">
            <dt>{t('training.field.contact_unit')}</dt>
            <dd>
              <bdi data-raw="">{item.contact_unit}</bdi>
            </dd>
            <dt>{t('training.field.languages')}</dt>
            <dd>
              <Languages codes={item.languages} />
            </dd>
            {item.description && (
              <>
                <dt>{t('training.field.description')}</dt>
                <dd class="text">
                  <bdi data-raw="">{item.description}</bdi>
                </dd>
              </>
            )}
            {item.provenance && (
              <>
                <dt>{t('training.field.provenance')}</dt>
                <dd class="provenance">
                  {t('training.provenance.from')} <Code>{item.provenance.sender}</Code>
                  {', '}
                  {t('training.provenance.sent')} <DateTime iso={item.provenance.sent_at} />
                  {', '}
                  {t('training.provenance.received')} <DateTime iso={item.provenance.received_at} />
                </dd>
              </>
            )}
          </dl>
          {!ours && request && item.active && (
            <p>
              <Link
                class="button secondary small"
                href={newRequestHref({ type: 'technical_assistance', partner: item.owner, item: item.id })}
                data-request-item={item.id}
              >
                {t('training.catalogue.request')}
              </Link>
            </p>
          )}
          {ours && manage && (
            <p>
              <button type="button" class="secondary small" onClick={() => setEditing(true)}>
                {t('training.catalogue.edit')}
              </button>
            </p>
          )}
        </>
      )}
    </li>
  );
}

export function Catalogue({ me }: ScreenProps) {
  const q = currentQuery();
  const initial = q.get('domain') ?? '';
  const [domain, setDomain] = useState((DOMAINS as readonly string[]).includes(initial) ? initial : '');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const manage = can(me, 'training.manage');

  const { data: list, error, reload } = useLoad(
    (signal) =>
      call<{ items: CatalogueItem[]; total: number }>('GET', '/api/v1/training/catalogue', {
        query: { domain: domain || undefined, page, page_size: PAGE_SIZE },
        purpose: PURPOSE,
        signal,
      }),
    [domain, page],
  );

  const choose = (d: string) => {
    setDomain(d);
    setPage(1);
    navigate(d ? `${CATALOGUE}?domain=${encodeURIComponent(d)}` : CATALOGUE, { replace: true });
  };

  return (
    <>
      <p class="breadcrumb">
        <Link href={TRAINING}>{t('training.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('training.catalogue.title')}</h1>
      <p>{t('training.catalogue.intro')}</p>
      {error && <ErrorNotice error={error} />}
      {manage &&
        (creating ? (
          <section class="card" aria-labelledby="item-new-title">
            <h2 id="item-new-title">{t('training.catalogue.new')}</h2>
            <ItemForm
              onSaved={() => {
                setCreating(false);
                reload();
              }}
              onCancel={() => setCreating(false)}
            />
          </section>
        ) : (
          <p>
            <button type="button" id="item-new" onClick={() => setCreating(true)}>
              {t('training.catalogue.new')}
            </button>
          </p>
        ))}
      <div class="filters">
        <div class="field">
          <label for="catalogue-domain">{t('training.field.domain')}</label>
          <select id="catalogue-domain" value={domain} onChange={(e) => choose(e.currentTarget.value)}>
            <option value="">{t('training.catalogue.all_domains')}</option>
            {DOMAINS.map((d) => (
              <option value={d} key={d}>
                {t(`training.domain.${d}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!list && !error && <p role="status">{t('app.loading')}</p>}
      {list && list.items.length === 0 && <p class="notice">{t('training.catalogue.empty')}</p>}
      {list && list.items.length > 0 && (
        <ul class="cards catalogue">
          {list.items.map((item) => (
            <Item
              key={`${item.id}-${item.version}`}
              item={item}
              self={me.agency}
              manage={manage}
              request={can(me, 'assistance.create')}
              onSaved={reload}
            />
          ))}
        </ul>
      )}
      {list && <Pages page={page} pageSize={PAGE_SIZE} total={list.total} onPage={setPage} />}
    </>
  );
}
