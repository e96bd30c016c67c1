// The training programmes held here: ours, and partners' read-only copies
// with the agency that provides them; paged. Supervisors and administrators
// (training.manage) create a programme from the same page. A link leads to
// the technical-assistance catalogue.

import { useState } from 'preact/hooks';
import { call } from '../../app/api';
import { ErrorNotice, Link, Pages } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import { navigate, pathFor } from '../../app/router';
import { useLoad } from '../../app/use_load';
import { Languages, Owner, PURPOSE, type Programme } from './common';
import { ProgrammeForm } from './forms';
import { CATALOGUE, PROGRAMME } from './paths';

const PAGE_SIZE = 50;

export function Programmes({ me }: ScreenProps) {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const { data: list, error } = useLoad(
    (signal) =>
      call<{ programmes: Programme[]; total: number }>('GET', '/api/v1/training/programmes', {
        query: { page, page_size: PAGE_SIZE },
        purpose: PURPOSE,
        signal,
      }),
    [page],
  );

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('training.title')}</h1>
        <p class="head-actions">
          <Link href={CATALOGUE}>{t('training.catalogue.title')}</Link>
        </p>
      </div>
      <p>{t('training.intro')}</p>
      {error && <ErrorNotice error={error} />}
      {can(me, 'training.manage') &&
        (creating ? (
          <section class="card" aria-labelledby="programme-new-title">
            <h2 id="programme-new-title">{t('training.programme.new')}</h2>
            <ProgrammeForm
              onSaved={(p) => navigate(pathFor(PROGRAMME, { id: p.id }))}
              onCancel={() => setCreating(false)}
            />
          </section>
        ) : (
          <p>
            <button type="button" id="programme-new" onClick={() => setCreating(true)}>
              {t('training.programme.new')}
            </button>
          </p>
        ))}
      {!list && !error && <p role="status">{t('app.loading')}</p>}
      {list && list.programmes.length === 0 && <p class="notice">{t('training.programmes.empty')}</p>}
      {list && list.programmes.length > 0 && (
        <div class="table-scroll">
          <table class="data programmes">
            <caption class="visually-hidden">{t('training.programmes.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('training.field.title')}</th>
                <th scope="col">{t('training.field.topic')}</th>
                <th scope="col">{t('training.field.provider')}</th>
                <th scope="col">{t('training.field.languages')}</th>
              </tr>
            </thead>
            <tbody>
              {list.programmes.map((p) => (
                <tr key={p.id} data-programme={p.title}>
                  <td>
                    <Link href={pathFor(PROGRAMME, { id: p.id })}>
                      <bdi data-raw="">{p.title}</bdi>
                    </Link>
                  </td>
                  <td>{t(`training.topic.${p.topic}`)}</td>
                  <td>
                    <Owner owner={p.owner} self={me.agency} />
                  </td>
                  <td>
                    <Languages codes={p.languages} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && <Pages page={page} pageSize={PAGE_SIZE} total={list.total} onPage={setPage} />}
    </>
  );
}
