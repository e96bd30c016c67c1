// Administration: a page of the node's administrative sections the user's
// role opens (partner nodes, users, audit log), and the partner nodes with
// the health of deliveries to each (federation.read: administrators,
// supervisors, auditors).

import { Link } from '../../app/components';
import { t } from '../../app/i18n';
import type { Module, ScreenProps } from '../../app/module';
import { can } from '../../app/permissions';
import type { Me } from '../../app/api';
import { AUDIT } from '../audit/paths';
import { USERS } from '../users/paths';
import { Partners } from './partners';
import { ADMIN, PARTNERS } from './paths';

interface Section {
  path: string;
  // Message keys of the link and of its one-line description.
  label: string;
  text: string;
  allow: (me: Me) => boolean;
}

const SECTIONS: Section[] = [
  {
    path: PARTNERS,
    label: 'admin.partners.title',
    text: 'admin.partners.summary',
    allow: (me) => can(me, 'federation.read'),
  },
  { path: USERS, label: 'admin.users.title', text: 'admin.users.summary', allow: (me) => can(me, 'user.list') },
  {
    path: AUDIT,
    label: 'admin.audit.title',
    text: 'admin.audit.summary',
    allow: (me) => can(me, 'audit.read') || can(me, 'audit.verify'),
  },
];

const allowed = (me: Me) => SECTIONS.some((s) => s.allow(me));

function AdminHome({ me }: ScreenProps) {
  return (
    <>
      <h1 tabIndex={-1}>{t('admin.title')}</h1>
      <p>{t('admin.intro')}</p>
      <ul class="sections">
        {SECTIONS.filter((s) => s.allow(me)).map((s) => (
          <li key={s.path} class="card">
            <Link href={s.path}>{t(s.label)}</Link>
            <p>{t(s.text)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

export const admin: Module = {
  id: 'admin',
  screens: [
    { path: ADMIN, title: 'admin.title', component: AdminHome, allow: allowed },
    { path: PARTNERS, title: 'admin.partners.title', component: Partners, allow: (me) => can(me, 'federation.read') },
  ],
  nav: [{ path: ADMIN, label: 'admin.nav', allow: allowed }],
};
