// Browser tests of the cooperation screens (web/src/modules/groups: working
// groups, the action plan's road map, joint operations) and of the major
// events (web/src/modules/events: incident log, accreditation campaigns),
// registered by run.mjs (registerCooperationTests at its end) so that they
// share its node (MA-DGSN with the demo accounts and alerts), its browser,
// its page helpers and its clean-up. Every screen is inspected and saved as a
// screenshot in ar, fr and en. Synthetic test data only.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiToken, LANGS, msg, signIn, switchLang } from './harness.mjs';

// A day `days` from today (UTC), as YYYY-MM-DD.
function day(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// Inspects the current screen in every language (translated, AA contrast,
// screenshot), ending in English.
async function everyLanguage(p, inspect, name, check = async () => {}) {
  for (const lang of LANGS) {
    await switchLang(p, lang);
    await check(lang);
    await inspect(p, lang, name);
  }
  await switchLang(p, 'en');
}

export function registerCooperationTests({ page, inspect, noProblems, unlabelled, mainNode }) {
  test('cooperation: an officer creates a working group (field error first), adds a task, changes its state, adds a member and links an alert', async () => {
    const node = mainNode();
    const p = await page();
    await signIn(p, 'demo.officer', node.accounts['demo.officer']);
    await p.locator('nav a', { hasText: msg('en', 'groups.nav') }).click();
    await p.locator('h1', { hasText: msg('en', 'groups.title') }).waitFor();
    await p.locator('a.button', { hasText: msg('en', 'groups.new') }).click();
    await p.locator('h1', { hasText: msg('en', 'groups.new.title') }).waitFor();
    assert.deepEqual(await unlabelled(p), []);

    // No name: the node names the field; the form shows it there and focuses it.
    await p.locator('#group-domain').selectOption('drug_trafficking');
    await p.locator('form button[type=submit]').click();
    await p.locator('#group-name-error').waitFor();
    await p.waitForFunction(() => document.activeElement.id === 'group-name');
    await inspect(p, 'en', 'group-new-error');
    await p.locator('#group-name').fill('Maritime cannabis routes (test)');
    await p.locator('#group-description').fill('Synthetic working group for the browser tests.');
    await p.locator('form button[type=submit]').click();
    await p.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    await p.locator('h1', { hasText: 'Maritime cannabis routes (test)' }).waitFor();

    // A task with an owner agency that is not in the group: refused, named.
    await p.locator('#task-title').fill('Map the go-fast landing points (test)');
    await p.locator('#task-owner').fill('ZZ-NONE');
    await p.locator('#task-due').fill(day(20));
    await p.locator('#task-title').press('Enter');
    await p.locator('#task-owner-error').waitFor();
    await p.waitForFunction(() => document.activeElement.id === 'task-owner');
    await p.locator('#task-owner').fill(node.agency);
    await p.locator('#task-assignee').fill('سمير الاختباري');
    await p.locator('#task-title').press('Enter');
    await p.locator('[role=status]', { hasText: msg('en', 'groups.done.task_added') }).waitFor();
    const row = p.locator('tr[data-task="Map the go-fast landing points (test)"]');
    await row.waitFor();
    await row.locator('select.task-state').selectOption('in_progress');
    await p.locator('[role=status]', { hasText: msg('en', 'groups.done.task_state') }).waitFor();
    assert.equal(await row.locator('select.task-state').inputValue(), 'in_progress');

    await p.locator('#member-reference').fill('demo-officer-ref');
    await p.locator('#member-name').fill('Amina Exemplia');
    await p.locator('#member-role').selectOption('lead');
    await p.locator('#member-name').press('Enter');
    await p.locator('ul.members li', { hasText: 'Amina Exemplia' }).waitFor();

    const token = await apiToken(node, 'demo.officer');
    const alerts = await (await fetch(`${node.url}/api/v1/alerts?page_size=1`, { headers: { Authorization: `Bearer ${token}`, 'X-Purpose': 'browser test' } })).json();
    const alertId = alerts.alerts[0].id;
    await p.locator('#link-kind').selectOption('alert');
    await p.locator('#link-ref').fill(alertId);
    await p.locator('#link-ref').press('Enter');
    await p.locator(`ul.case-file a[href="/alerts/${alertId}"]`).waitFor();
    assert.deepEqual(await unlabelled(p), []);
    await everyLanguage(p, inspect, 'group-detail');

    // The list, filtered by domain.
    await p.locator('a', { hasText: msg('en', 'groups.back') }).click();
    await p.locator('table.groups tr', { hasText: 'Maritime cannabis routes (test)' }).waitFor();
    await p.locator('#groups-domain').selectOption('terrorism');
    await p.waitForURL(/domain=terrorism/);
    await p.locator('main p', { hasText: msg('en', 'groups.list.empty') }).waitFor();
    await p.locator('#groups-domain').selectOption('drug_trafficking');
    await p.locator('table.groups tr', { hasText: 'Maritime cannabis routes (test)' }).waitFor();
    await everyLanguage(p, inspect, 'groups');

    // An analyst reads the group but is offered no change.
    const groupHref = await p.locator('table.groups a', { hasText: 'Maritime cannabis routes (test)' }).getAttribute('href');
    const a = await page();
    await signIn(a, 'demo.analyst', node.accounts['demo.analyst']);
    await a.goto(groupHref);
    await a.locator('tr[data-task="Map the go-fast landing points (test)"]').waitFor();
    assert.equal(await a.locator('main form').count(), 0, 'no form for an analyst');
    assert.equal(await a.locator('select.task-state').count(), 0);
    await a.goto('/groups/new');
    await a.locator('h1', { hasText: msg('en', 'app.forbidden.title') }).waitFor();
    noProblems(p);
    noProblems(a);
  });

  test('cooperation: the road map flags a late milestone in words, mirrors time in Arabic, and the own action is edited', async () => {
    const node = mainNode();
    const p = await page();
    await signIn(p, 'demo.supervisor', node.accounts['demo.supervisor']);
    await p.goto('/plans');
    await p.locator('h1', { hasText: msg('en', 'groups.plans.title') }).waitFor();
    await p.locator('#plan-title').fill('Joint plan 2026-2027 (test)');
    await p.locator('#plan-starts').fill(day(-90));
    await p.locator('#plan-ends').fill(day(300));
    await p.locator('#plan-title').press('Enter');
    await p.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await p.locator('h1', { hasText: 'Joint plan 2026-2027 (test)' }).waitFor();
    await p.locator('main p', { hasText: msg('en', 'groups.roadmap.empty') }).waitFor();
    await inspect(p, 'en', 'plans-empty-roadmap');

    await p.locator('#add-title').fill('Locate internationally wanted persons (test)');
    await p.locator('#add-due_at').fill(day(200));
    await p.locator('#add-title').press('Enter');
    await p.locator('li.timeline-objective').waitFor();
    await p.locator('#add-kind').selectOption('action');
    await p.locator('#add-objective').selectOption({ index: 1 });
    await p.locator('#add-title').fill('Exchange fingerprints of wanted persons (test)');
    await p.locator('#add-due_at').fill(day(120));
    await p.locator('#add-milestone').fill('Exchange protocol signed (test)');
    await p.locator('#add-milestone_due').fill(day(-10));
    await p.locator('#add-indicator').fill('Persons located (test)');
    await p.locator('#add-target').fill('50');
    await p.locator('#add-title').press('Enter');
    const action = p.locator('li.timeline-action');
    await action.waitFor();

    // The milestone is late: flagged in words (not colour alone) and listed.
    const late = p.locator('[data-milestone="Exchange protocol signed (test)"][data-late=true]');
    await late.waitFor();
    assert.equal((await late.locator('.late-flag').textContent()).replace(/\s+/g, ' ').trim(), `⚠ ${msg('en', 'groups.late')}`);
    await p.locator('.late-list li[data-kind=milestone]', { hasText: 'Exchange protocol signed (test)' }).waitFor();
    assert.match(await p.locator('.late-list li[data-kind=milestone] .late-flag').textContent(), /Late by (9|10|11) days/);
    assert.equal(await action.locator('svg.track rect.milestone.late').count(), 1);

    // Edit the own action: progress 40 % and the indicator measured at 12.
    await action.locator('button', { hasText: msg('en', 'groups.edit') }).click();
    const form = action.locator('form.edit-item');
    await form.locator('input[type=number]').first().fill('40');
    await form.locator('fieldset input[type=number]').fill('40');
    await form.locator('input[type=number]').last().fill('12');
    assert.deepEqual(await unlabelled(p), []);
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
    await p.waitForFunction(() => document.querySelector('li.timeline-action .progress')?.dataset.progress === '40');
    await action.locator('[data-indicator="Persons located (test)"]', { hasText: '12' }).waitFor();

    // In Arabic the axis is mirrored: the past lies to the right of today.
    const sides = async () =>
      p.evaluate(() => {
        const m = document.querySelector('li.timeline-action svg.track rect.milestone.late').getBoundingClientRect();
        const today = document.querySelector('li.timeline-action svg.track line.today').getBoundingClientRect();
        return m.x + m.width / 2 - today.x;
      });
    await everyLanguage(p, inspect, 'roadmap', async (lang) => {
      const d = await sides();
      if (lang === 'ar') assert.ok(d > 0, `late milestone right of today in Arabic (${d})`);
      else assert.ok(d < 0, `late milestone left of today in ${lang} (${d})`);
    });
    noProblems(p);
  });

  test('cooperation: a supervisor creates a joint operation, completes it and writes the after-action report', async () => {
    const node = mainNode();
    const p = await page();
    await signIn(p, 'demo.supervisor', node.accounts['demo.supervisor']);
    await p.goto('/operations');
    await p.locator('a.button', { hasText: msg('en', 'groups.operations.new') }).click();
    await p.locator('h1', { hasText: msg('en', 'groups.operations.new_title') }).waitFor();
    await p.locator('#op-area').fill('Strait of Gibraltar (test)');
    await p.locator('#op-starts-at').fill(day(-5));
    await p.locator('#op-ends-at').fill(day(5));
    await p.locator('#op-units-add').click();
    await p.locator('#op-units-0-agency').fill(node.agency);
    await p.locator('#op-units-0-name').fill('Maritime brigade Tanger (test)');
    assert.deepEqual(await unlabelled(p), []);
    await p.locator('form.operation-form button[type=submit]').click();
    await p.locator('#op-code-name-error').waitFor();
    await p.waitForFunction(() => document.activeElement.id === 'op-code-name');
    await everyLanguage(p, inspect, 'operation-new-error');
    await p.locator('#op-code-name').fill('NORTH STAR (test)');
    await p.locator('form.operation-form button[type=submit]').click();
    await p.waitForURL(/\/operations\/[0-9a-f-]{36}\?saved=created$/);
    await p.locator('h1', { hasText: 'NORTH STAR (test)' }).waitFor();
    await p.locator('li', { hasText: 'Maritime brigade Tanger (test)' }).waitFor();
    await p.locator('main p', { hasText: msg('en', 'groups.report.not_yet') }).waitFor();

    await p.locator('#operation-edit').click();
    await p.locator('#op-state').selectOption('completed');
    await p.locator('form.operation-form button[type=submit]').click();
    await p.locator('.page-head .badge[data-state=completed]').waitFor();
    await p.locator('#report-summary').fill('Two boats intercepted; no injuries (synthetic).');
    await p.locator('#report-lessons').fill('Share radar tracks earlier (test).');
    await p.locator('#report-summary').press('Tab');
    await p.locator('form button', { hasText: msg('en', 'groups.report.submit') }).click();
    await p.locator('dl.report dd', { hasText: 'Two boats intercepted' }).waitFor();
    await everyLanguage(p, inspect, 'operation-detail');
    await p.goto('/operations');
    await p.locator('table.operations tr', { hasText: 'NORTH STAR (test)' }).waitFor();
    await everyLanguage(p, inspect, 'operations');
    noProblems(p);
  });

  test('events: a supervisor creates an event; an incident logged elsewhere appears in the officer’s live log without reload', async () => {
    const node = mainNode();
    const s = await page();
    await signIn(s, 'demo.supervisor', node.accounts['demo.supervisor']);
    await s.goto('/events');
    await s.locator('h1', { hasText: msg('en', 'events.title') }).waitFor();
    await s.locator('#event-name').fill('Test Cup 2030 (synthetic)');
    await s.locator('#event-starts').fill(day(-1));
    await s.locator('#event-ends').fill(day(30));
    await s.locator('#venue-0-code').fill('TNG-STAD');
    await s.locator('#venue-0-name').fill('Grand Stade de Tanger (test)');
    await s.locator('#venue-0-city').fill('Tanger');
    assert.deepEqual(await unlabelled(s), []);
    await s.locator('#event-name').press('Enter');
    await s.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    const eventId = new URL(s.url()).pathname.split('/').pop();
    await s.locator('h1', { hasText: 'Test Cup 2030 (synthetic)' }).waitFor();

    const o = await page();
    await signIn(o, 'demo.officer', node.accounts['demo.officer']);
    await o.goto(`/events/${eventId}`);
    await o.locator('main p', { hasText: msg('en', 'events.incident.empty') }).waitFor();
    // A field error first: no type.
    await o.locator('#incident-description').fill('Crowd pressure at gate B (test).');
    await o.locator('#incident-severity').selectOption('high');
    await o.locator('.incident-form button[type=submit]').click();
    await o.locator('#incident-type-error').waitFor();
    await o.waitForFunction(() => document.activeElement.id === 'incident-type');
    await o.locator('#incident-type').selectOption('crowd_safety');
    await o.locator('.incident-form button[type=submit]').click();
    await o.locator('li.incident', { hasText: 'Crowd pressure at gate B' }).waitFor();

    // The supervisor's page, open all along, shows it without a reload.
    const before = await s.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin);
    await s.locator('li.incident', { hasText: 'Crowd pressure at gate B' }).waitFor({ timeout: 10000 });
    await s.locator('li.incident.fresh .badge', { hasText: msg('en', 'events.incident.fresh') }).waitFor();
    assert.equal(await s.evaluate(() => performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin), before, 'no reload');
    await s.locator('li.incident [data-severity=high]', { hasText: msg('en', 'events.severity.high') }).waitFor();
    assert.deepEqual(await unlabelled(o), []);
    await everyLanguage(o, inspect, 'event-detail');
    // Officers may not change the event; the host's supervisor may.
    assert.equal(await o.locator('#event-edit').count(), 0, 'no edit button for an officer');
    await s.locator('#event-edit').click();
    await s.locator('#event-name').fill('Test Cup 2030 (synthetic) final phase');
    await s.locator('#event-new-title ~ form button[type=submit]').click();
    await s.locator('h1', { hasText: 'Test Cup 2030 (synthetic) final phase' }).waitFor();
    assert.equal(await s.locator('#event-edit').count(), 1, 'the form closes once saved');
    await o.goto('/events');
    await o.locator('table.events tr', { hasText: 'Test Cup 2030 (synthetic) final phase' }).waitFor();
    await everyLanguage(o, inspect, 'events');
    noProblems(s);
    noProblems(o);
  });

  test('events: an accreditation campaign screens applicants with a progress bar; a match is refused with a reason', async () => {
    const node = mainNode();
    const p = await page();
    await signIn(p, 'demo.officer', node.accounts['demo.officer']);
    await p.goto('/events');
    await p.locator('table.events a', { hasText: 'Test Cup 2030 (synthetic)' }).click();
    await p.locator('#campaign-name').waitFor();
    await p.locator('#campaign-name').fill('Stewards (test)');
    await p.locator('#campaign-purpose').fill('Accreditation of the stewards of the test event');
    await p.locator('#campaign-purpose').press('Enter');
    await p.locator('#campaign-file-error', { hasText: msg('en', 'events.error.file_missing') }).waitFor();
    await p.locator('#campaign-file').setInputFiles({
      name: 'stewards.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'id,name,aliases,birth_date,nationality,gender,document\n' +
          'S1,Karim Testaoui,,1984-03-12,MA,male,\n' +
          'S2,Jeanne Nobodytest,,1988,FR,female,\n' +
          'S3,Omar Placeholdertest,,1979,MA,male,\n',
        'utf8',
      ),
    });
    await p.locator('.card form button[type=submit]', { hasText: msg('en', 'events.campaigns.submit') }).click();
    await p.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    await p.locator('.campaign[data-state=reviewing], .campaign[data-state=complete]').waitFor({ timeout: 30000 });
    assert.equal(await p.locator('.campaign .progress').getAttribute('data-progress'), '100');
    assert.equal(await p.locator('[data-count=total] dd').textContent(), '3');
    const applicant = p.locator('li.applicant', { has: p.locator('bdi.name', { hasText: 'Karim Testaoui' }) });
    await applicant.waitFor();
    await everyLanguage(p, inspect, 'campaign');

    // No reason: the node names the field.
    await applicant.locator('input[type=radio][value=refuse]').check();
    await applicant.locator('button[type=submit]').click();
    await applicant.locator('.field-error', { hasText: msg('en', 'events.error.reason') }).waitFor();
    await applicant.locator('textarea').fill('Matches an active alert for a violent person (test).');
    await applicant.locator('button[type=submit]').click();
    await p.locator('[role=status]', { hasText: msg('en', 'events.decision.refused') }).waitFor();
    await p.waitForFunction(() => document.querySelector('[data-count=refused] dd')?.textContent === '1');
    await p.locator('#queue-decision').selectOption('refused');
    await p.locator('li.applicant[data-decision=refused]', { hasText: 'violent person' }).waitFor();
    await inspect(p, 'en', 'campaign-reviewed');
    noProblems(p);
  });
}
