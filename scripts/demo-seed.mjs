#!/usr/bin/env node
// Seeds the two demo nodes (`make demo`) with synthetic cooperation records,
// once, through the public API as the demo accounts would: a joint working
// group with a task for each agency, the joint action plan with objectives,
// actions, milestones and indicators from both agencies (one milestone
// late), a joint operation, a major event with venues, liaison deployments
// and incidents logged on both sides, and a training programme with a
// session and the technical-assistance catalogue when the node offers them.
// Every name is invented ([synthetic]); no real person.
//
// usage: node scripts/demo-seed.mjs RABAT_URL RABAT_DIR PARIS_URL PARIS_DIR
// Writes RABAT_DIR/demo-seeded when done and does nothing when it exists.
// Exit status 1 with the failing call and its problem+json on any error.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [rabatUrl, rabatDir, parisUrl, parisDir] = process.argv.slice(2);
if (!parisDir) {
  console.error('usage: demo-seed.mjs RABAT_URL RABAT_DIR PARIS_URL PARIS_DIR');
  process.exit(2);
}
const marker = join(rabatDir, 'demo-seeded');
if (existsSync(marker)) process.exit(0);

const DAY = 24 * 3600 * 1000;
const now = Date.now();
const day = (offset) => new Date(now + offset * DAY).toISOString().slice(0, 10);
const instant = (offsetDays, hour = 12) => {
  const d = new Date(now + offsetDays * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

function password(dir, user) {
  for (const line of readFileSync(join(dir, 'demo-passwords'), 'utf8').split('\n')) {
    const [name, , secret] = line.trim().split(/\s+/);
    if (name === user) return secret;
  }
  throw new Error(`no ${user} in ${dir}/demo-passwords`);
}

class Node {
  constructor(name, url, dir) {
    this.name = name;
    this.url = url.replace(/\/$/, '');
    this.dir = dir;
    this.tokens = {};
  }
  async signIn(user) {
    const r = await this.raw('POST', '/api/v1/session', { username: user, password: password(this.dir, user) });
    this.tokens[user] = r.token;
  }
  async raw(method, path, body, token, okStatuses = [200, 201, 202]) {
    const headers = { 'X-Purpose': 'demo data' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!okStatuses.includes(res.status)) {
      const err = new Error(`${this.name}: ${method} ${path} answered ${res.status}: ${text}`);
      err.status = res.status;
      throw err;
    }
    return text ? JSON.parse(text) : {};
  }
  as(user) {
    return {
      get: (path) => this.raw('GET', path, undefined, this.tokens[user]),
      post: (path, body) => this.raw('POST', path, body, this.tokens[user]),
      put: (path, body) => this.raw('PUT', path, body, this.tokens[user]),
    };
  }
  // Polls GET `path` until it answers 200 (a partner's record arriving).
  async arrived(user, path, what) {
    for (let i = 0; i < 100; ++i) {
      try {
        return await this.raw('GET', path, undefined, this.tokens[user], [200]);
      } catch (e) {
        if (e.status !== 404) throw e;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name}: ${what} did not arrive within 20 s`);
  }
  async offers(path) {
    const res = await fetch(this.url + path, { headers: { Authorization: `Bearer ${this.tokens['demo.supervisor']}` } });
    return res.status !== 404;
  }
}

const rabat = new Node('Rabat', rabatUrl, rabatDir);
const paris = new Node('Paris', parisUrl, parisDir);
for (const n of [rabat, paris]) {
  await n.signIn('demo.supervisor');
  await n.signIn('demo.officer');
}
const ma = rabat.as('demo.supervisor');
const maOfficer = rabat.as('demo.officer');
const fr = paris.as('demo.supervisor');
const frOfficer = paris.as('demo.officer');

// --- a joint working group (Rabat's) with a task for each agency -----------------
const group = await maOfficer.post('/api/v1/groups', {
  name: 'Joint group on drug trafficking routes [synthetic]',
  domain: 'drug_trafficking',
  description: 'Maritime and road routes between the Strait and southern France (demo).',
  agencies: ['FR-DGPN'],
  members: [{ agency: 'FR-DGPN', reference: 'FR-DEMO-1', name: 'Capitaine Démo [synthetic]' }],
  tasks: [
    { title: 'Compare seizure reports of the last quarter', owner_agency: 'MA-DGSN', due_at: day(10) },
    { title: 'Identify the Marseille receiving network', owner_agency: 'FR-DGPN', due_at: day(20) },
  ],
});

// --- the joint action plan: objectives → actions → milestones, indicators ---------
const plan = await ma.post('/api/v1/plans', {
  title: 'MA–FR joint action plan [synthetic]',
  description: 'Road map of the joint action plan (demo data).',
  agencies: ['FR-DGPN'],
});
const objective = await maOfficer.post(`/api/v1/plans/${plan.id}/objectives`, {
  title: 'Track internationally wanted persons', due_at: day(300),
});
await maOfficer.post(`/api/v1/plans/${plan.id}/actions`, {
  objective_id: objective.id,
  title: 'Exchange wanted-person alerts within 24 hours',
  due_at: day(120),
  milestones: [
    { title: 'Alert sharing live between the nodes', due_at: day(-30), state: 'done' },
    { title: 'Weekly joint review of hits', due_at: day(-5), progress: 40 },
    { title: 'Six-month evaluation', due_at: day(150) },
  ],
  indicators: [{ name: 'internationally wanted persons located', unit: 'persons', target: 50, measured: 12 }],
});
const objective2 = await maOfficer.post(`/api/v1/plans/${plan.id}/objectives`, {
  title: 'Secure the major sporting events', due_at: day(400),
});
await maOfficer.post(`/api/v1/plans/${plan.id}/actions`, {
  objective_id: objective2.id,
  title: 'Screen accreditation applicants against both alert lists',
  due_at: day(200),
  milestones: [{ title: 'Pilot campaign', due_at: day(60), progress: 20 }],
  indicators: [{ name: 'applicants screened', unit: 'applicants', target: 200000, measured: 15000 }],
});

// --- a joint operation and a major event --------------------------------------------
await ma.post('/api/v1/operations', {
  code_name: 'SIROCCO',
  description: 'Controlled delivery along the maritime route (demo).',
  starts_at: day(5), ends_at: day(12), area: 'Tanger Med – Marseille-Fos [synthetic]',
  agencies: ['FR-DGPN'], group_id: group.id,
  units: [{ agency: 'MA-DGSN', name: 'BNPJ' }, { agency: 'FR-DGPN', name: 'OFAST' }],
});
const event = await ma.post('/api/v1/events', {
  name: 'Synthetic Football Cup [demo]',
  starts_on: day(-2), ends_on: day(25),
  venues: [
    { code: 'RBT-01', name: 'Rabat Stadium [synthetic]', city: 'Rabat' },
    { code: 'CAS-01', name: 'Casablanca Stadium [synthetic]', city: 'Casablanca' },
  ],
  partners: ['FR-DGPN'],
  description: 'A fictitious tournament for the demonstration.',
});
await maOfficer.post(`/api/v1/events/${event.id}/incidents`, {
  occurred_at: instant(-1, 19), venue: 'RBT-01', type: 'ticket_fraud', severity: 'medium',
  description: 'Counterfeit tickets seized at gate 4 (demo).',
});

// --- Paris: its own action in the plan, its task, a deployment and an incident ----
await paris.arrived('demo.officer', `/api/v1/plans/${plan.id}`, 'the plan');
await frOfficer.post(`/api/v1/plans/${plan.id}/actions`, {
  objective_id: objective.id,
  title: 'Joint training on cross-script name screening',
  due_at: day(90),
  milestones: [{ title: 'Course delivered in Rabat', due_at: day(45), progress: 10 }],
});
await paris.arrived('demo.officer', `/api/v1/groups/${group.id}`, 'the working group');
const frTask = group.tasks.find((t) => t.owner_agency === 'FR-DGPN');
await frOfficer.put(`/api/v1/groups/${group.id}/tasks/${frTask.id}`, { state: 'in_progress' });
await paris.arrived('demo.officer', `/api/v1/events/${event.id}`, 'the event');
await frOfficer.post(`/api/v1/events/${event.id}/deployments`, {
  officer_name: 'Commandant Démo [synthetic]', role: 'liaison officer', venue: 'CAS-01',
  starts_at: instant(-2, 8), ends_at: instant(25, 20),
});
await frOfficer.post(`/api/v1/events/${event.id}/incidents`, {
  occurred_at: instant(0, 17), venue: 'CAS-01', type: 'public_order', severity: 'low',
  description: 'Supporters gathering outside the fan zone (demo).',
});

// --- training and technical assistance, where the node offers them ----------------
if (await paris.offers('/api/v1/training/programmes')) {
  const programme = await fr.post('/api/v1/training/programmes', {
    title: 'Cross-script name screening [synthetic]', topic: 'wanted_persons',
    description: 'Arabic and Latin spellings of names in alert screening.',
    languages: ['fr', 'ar'], share_with: ['MA-DGSN'],
  });
  const session = await fr.post(`/api/v1/training/programmes/${programme.id}/sessions`, {
    starts_at: instant(40, 8), ends_at: instant(42, 17), place: 'Rabat [synthetic]', capacity: 20,
    state: 'open',
  });
  await fr.post('/api/v1/training/catalogue', {
    domain: 'digital_forensics', title: 'Mobile phone extraction support [synthetic]',
    description: 'Forensic extraction of seized phones within 72 hours.',
    contact_unit: 'Demo forensic unit', languages: ['fr', 'en'], share_with: ['MA-DGSN'],
  });
  // Rabat enrols one of its officers in Paris's session; Paris confirms it.
  await rabat.arrived('demo.officer', `/api/v1/training/sessions/${session.id}`, 'the training session');
  await maOfficer.post(`/api/v1/training/sessions/${session.id}/enrolments`, {
    name: 'Lieutenant Démo [synthetic]', rank: 'Lieutenant', unit: 'BNPJ', email: 'demo.lieutenant@example.invalid',
  });
}

writeFileSync(marker, `seeded ${new Date().toISOString()}\n`);
console.log('demo: seeded a working group, the joint action plan, an operation and an event (both nodes)');
