// The screens of the administration module (see index.ts), loaded in their
// own chunk the first time the user opens one of them: the page of the
// sections the user's role opens, and the partner nodes.

import { Link } from '../../app/components';
import { t } from '../../app/i18n';
import type { ScreenComponents, ScreenProps } from '../../app/module';
import { Partners } from './partners';
import { ADMIN, PARTNERS } from './paths';
import { SECTIONS } from './sections';

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

export const components: ScreenComponents = { [ADMIN]: AdminHome, [PARTNERS]: Partners };
