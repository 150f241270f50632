/**
 * The people on the floor: users in every role of the architecture's "who uses it" table,
 * and each rep's capacity (Rep_Capacity__c): shift in the rep's own zone, skills, weight
 * (a ramping rep at 0.5), leave.
 */
import { FIRST_NAMES, LAST_NAMES, LANGUAGES, PRODUCTS, TEAMS } from './catalog';
import type { Line } from './line';
import type { FloorSizes } from './options';
import type { FloorRng } from './random';
import type { FloorRow } from './sink';
import { DAY, isoDate } from './timeZones';

export type Role =
  | 'SDR'
  | 'Account Executive'
  | 'Coordinator'
  | 'Sales Engineer'
  | 'Onboarding'
  | 'Service'
  | 'Manager'
  | 'Marketing'
  | 'RevOps'
  | 'Integration';

export interface Member {
  role: Role;
  username: string;
  firstName: string;
  lastName: string;
  alias: string;
  zone: string;
  team: string;
  city: string;
  languages: string[];
  products: string[];
  /** Set once the user is written. */
  id: string;
}

export const EMAIL_DOMAIN = 'asl-floor.example';
export const INTEGRATION_USERNAME = `engine.integration@${EMAIL_DOMAIN}`;
export const MANAGER_USERNAME_PREFIX = 'manager';

const STATION_KEYS: Partial<Record<Role, string>> = {
  SDR: 'SDR_CALL',
  Coordinator: 'COORDINATE',
  'Account Executive': 'DEMO;PROPOSAL',
  // Engineers join demos through the calendar (Demo_Slot__c.Engineer__c), not as AEs: on DEMO
  // they would be drawn as demo owners and counted as AEs by the calendar.
  'Sales Engineer': 'SALES_ENGINEERING',
  Onboarding: 'ONBOARDING',
  Service: 'SERVICE'
};

const TITLES: Record<Role, string> = {
  SDR: 'Sales Development Representative',
  'Account Executive': 'Account Executive',
  Coordinator: 'Sales Coordinator',
  'Sales Engineer': 'Sales Engineer',
  Onboarding: 'Onboarding Specialist',
  Service: 'Customer Service Representative',
  Manager: 'Sales Manager',
  Marketing: 'Marketing Manager',
  RevOps: 'Revenue Operations Analyst',
  Integration: 'Integration User'
};

/** Everyone on the floor, in a stable order: the fixed roles first, then reps by role. */
export function buildTeam(rng: FloorRng, sizes: FloorSizes): Member[] {
  const members: Member[] = [];
  const add = (
    role: Role,
    index: number,
    fixed?: { first: string; last: string; local: string }
  ): void => {
    const team =
      role === 'Manager' || role === 'Marketing' || role === 'RevOps' || role === 'Integration'
        ? TEAMS[0]
        : TEAMS[index % TEAMS.length];
    if (team === undefined) throw new Error('TEAMS is empty');
    const first = fixed?.first ?? rng.pick(FIRST_NAMES);
    const last = fixed?.last ?? rng.pick(LAST_NAMES);
    const local = fixed?.local ?? `${first}.${last}.${members.length + 1}`.toLowerCase();
    const firstOfTeam = index < TEAMS.length;
    const languages = ['English', ...team.languages.filter(() => firstOfTeam || rng.chance(0.4))];
    const products = firstOfTeam
      ? [...PRODUCTS]
      : PRODUCTS.filter((product, i) => i < 2 || rng.chance(0.5));
    members.push({
      role,
      username: `${local}@${EMAIL_DOMAIN}`,
      firstName: first,
      lastName: last,
      alias: `${first.slice(0, 1)}${last.slice(0, 4)}${members.length + 1}`
        .toLowerCase()
        .slice(0, 8),
      zone: team.zone,
      team: team.team,
      city: team.city,
      languages,
      products,
      id: ''
    });
  };
  add('Manager', 0, { first: 'Morgan', last: 'Avery', local: MANAGER_USERNAME_PREFIX });
  add('RevOps', 0, { first: 'Riley', last: 'Ops', local: 'revops' });
  add('Integration', 0, { first: 'Engine', last: 'Integration', local: 'engine.integration' });
  for (let i = 0; i < sizes.marketing; i += 1) add('Marketing', i);
  for (let i = 0; i < sizes.sdrs; i += 1) add('SDR', i);
  for (let i = 0; i < sizes.coordinators; i += 1) add('Coordinator', i);
  for (let i = 0; i < sizes.aes; i += 1) add('Account Executive', i);
  for (let i = 0; i < sizes.engineers; i += 1) add('Sales Engineer', i);
  for (let i = 0; i < sizes.onboarding; i += 1) add('Onboarding', i);
  for (let i = 0; i < sizes.service; i += 1) add('Service', i);
  return members;
}

export function userRow(member: Member): FloorRow {
  return {
    Username: member.username,
    FirstName: member.firstName,
    LastName: member.lastName,
    Email: member.username,
    Alias: member.alias,
    CommunityNickname: member.username.split('@')[0] ?? member.alias,
    TimeZoneSidKey: member.zone,
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    IsActive: true,
    Title: TITLES[member.role],
    Department: member.role === 'Integration' ? 'Systems' : `Sales - ${member.team}`,
    City: member.city
  };
}

/** Rep_Capacity__c rows for every rep that works a station. */
export function capacityRows(
  rng: FloorRng,
  team: readonly Member[],
  line: Line,
  asOfMs: number
): FloorRow[] {
  const targetWip = new Map(
    line.stations.map((station) => [station.Key__c, station.Target_WIP__c])
  );
  const reps = team.filter((member) => STATION_KEYS[member.role] !== undefined);
  const rampingByRole = new Map<Role, Member>();
  for (const member of reps) rampingByRole.set(member.role, member); // the newest hire of each role
  const rows: FloorRow[] = [];
  reps.forEach((member, index) => {
    const stationKeys = STATION_KEYS[member.role] as string;
    const firstStation = stationKeys.split(';')[0] as string;
    const fourDayWeek = index % 11 === 7;
    const start = rng.pick([8, 8, 8.5, 9, 9]);
    const leave = leaveFor(rng, index, asOfMs);
    const ramping =
      rampingByRole.get(member.role) === member &&
      team.filter((m) => m.role === member.role).length > 1;
    rows.push({
      User__c: member.id,
      Key__c: `CAP-${member.alias}-${index + 1}`,
      Station_Keys__c: stationKeys,
      Skills__c: [...member.languages, ...member.products].join(';'),
      Weight__c: ramping ? 0.5 : 1,
      Time_Zone__c: member.zone,
      Shift_Start_Hour__c: start,
      Shift_End_Hour__c: start + (fourDayWeek ? 10 : 8.5),
      Working_Days__c: fourDayWeek ? 'Mon;Tue;Wed;Thu' : 'Mon;Tue;Wed;Thu;Fri',
      Leave_Start__c: leave?.start ?? null,
      Leave_End__c: leave?.end ?? null,
      WIP_Cap__c: targetWip.get(firstStation) ?? null,
      Hourly_Cap_Override__c: index === 3 ? 20 : null,
      Demo_Target__c: member.role === 'Account Executive' ? (ramping ? 20 : 40) : null,
      Team__c: member.team,
      City__c: member.city,
      Active__c: true
    });
  });
  return rows;
}

/** About 8% of reps have leave: the fifth rep is away now, others in the past or future. */
function leaveFor(
  rng: FloorRng,
  index: number,
  asOfMs: number
): { start: string; end: string } | null {
  const asOfDay = Math.floor(asOfMs / DAY);
  if (index === 4)
    return { start: isoDate((asOfDay - 2) * DAY), end: isoDate((asOfDay + 7) * DAY) };
  if (!rng.chance(0.07)) return null;
  const startDay = asOfDay + rng.int(-120, 90);
  return { start: isoDate(startDay * DAY), end: isoDate((startDay + rng.int(3, 21)) * DAY) };
}

/** Language -> product -> SDRs (and AEs) who can work it, for skill-based owners of history. */
export class SkillIndex {
  private readonly byKey = new Map<string, Member[]>();
  private readonly all: Member[];

  constructor(members: readonly Member[]) {
    this.all = [...members];
    for (const member of members) {
      for (const language of member.languages) {
        this.push(language, member);
        for (const product of member.products) this.push(`${language}|${product}`, member);
      }
    }
    if (this.all.length === 0) throw new Error('SkillIndex needs at least one member');
  }

  /** A member with both skills, else one with the language, else anyone. */
  pick(rng: FloorRng, language: string, product: string): Member {
    const exact = this.byKey.get(`${language}|${product}`);
    if (exact !== undefined) return rng.pick(exact);
    const lang = this.byKey.get(language);
    return rng.pick(lang ?? this.all);
  }

  private push(key: string, member: Member): void {
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [member]);
    else list.push(member);
  }
}

export const ALL_LANGUAGES = LANGUAGES;
