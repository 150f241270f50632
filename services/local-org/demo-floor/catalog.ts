/**
 * The fixed vocabulary of the demo floor: names, companies, zones, products and the shares
 * that are not part of the behaviour model (docs/demo-floor.md lists them). Every name is
 * invented; phone numbers use the 555-01xx range reserved for fiction and e-mail domains the
 * reserved `.example` top-level domain, so no real person or company is ever called.
 */
import type { FameBand } from './behaviourModel';
import { weighted, type FloorRng } from './random';

export const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Amara',
  'Ana',
  'Arjun',
  'Beatriz',
  'Ben',
  'Carla',
  'Chen',
  'Chloe',
  'Dana',
  'Daniel',
  'Diego',
  'Elena',
  'Emeka',
  'Emma',
  'Farah',
  'Felix',
  'Grace',
  'Hana',
  'Hugo',
  'Ines',
  'Ivan',
  'Jamal',
  'Jana',
  'Jonas',
  'Julia',
  'Kai',
  'Kenji',
  'Lara',
  'Leo',
  'Lina',
  'Lucas',
  'Maya',
  'Marco',
  'Mia',
  'Nadia',
  'Noah',
  'Nora',
  'Omar',
  'Olivia',
  'Paul',
  'Priya',
  'Rafael',
  'Rosa',
  'Sam',
  'Sara',
  'Sofia',
  'Tariq',
  'Theo',
  'Uma',
  'Vera',
  'Wei',
  'Yara',
  'Yusuf',
  'Zoe'
] as const;

export const LAST_NAMES = [
  'Abbott',
  'Adeyemi',
  'Alvarez',
  'Bauer',
  'Becker',
  'Bianchi',
  'Brooks',
  'Castro',
  'Chen',
  'Costa',
  'Dubois',
  'Edwards',
  'Eriksen',
  'Fischer',
  'Flores',
  'Garcia',
  'Gupta',
  'Hansen',
  'Hayes',
  'Ibrahim',
  'Ito',
  'Jensen',
  'Kaur',
  'Keller',
  'Kim',
  'Kowalski',
  'Larsen',
  'Lopez',
  'Martin',
  'Meyer',
  'Moreau',
  'Murphy',
  'Nakamura',
  'Novak',
  'Okafor',
  'Olsen',
  'Patel',
  'Perez',
  'Quinn',
  'Reyes',
  'Rossi',
  'Sato',
  'Schmidt',
  'Silva',
  'Singh',
  'Tanaka',
  'Torres',
  'Vogel',
  'Wagner',
  'Walsh',
  'Weber',
  'Wong',
  'Yilmaz',
  'Young',
  'Zhang'
] as const;

/** Well-known invented brands (the conventional fictional companies of software demos). */
export const FAMOUS_COMPANIES = [
  'Contoso',
  'Fabrikam',
  'Northwind Traders',
  'Adventure Works',
  'Tailspin Toys',
  'Wide World Importers',
  'Woodgrove Bank',
  'Litware',
  'Proseware',
  'Lucerne Publishing',
  'Trey Research',
  'Coho Winery',
  'Fourth Coffee',
  'Alpine Ski House',
  "Margie's Travel",
  'Blue Yonder Airlines',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Wingtip Toys',
  'City Power & Light',
  'Consolidated Messenger',
  'Relecloud',
  'Southridge Video',
  'VanArsdel',
  'Tasmanian Traders',
  'Olympia Logistics',
  'Globex Corporation',
  'Initrode',
  'Vandelay Industries',
  'Soylent Foods',
  'Acme Corporation',
  'Umbra Systems',
  'Massive Dynamic',
  'Hooli',
  'Pied Piper',
  'Gringotts Holdings',
  'Wonka Industries',
  'Cyberdyne Logistics',
  'Tyrell Analytics',
  'Oceanic Freight'
] as const;

const NAME_PARTS_A = [
  'Acre',
  'Alder',
  'Amber',
  'Apex',
  'Arbor',
  'Aster',
  'Atlas',
  'Aurora',
  'Beacon',
  'Birch',
  'Blue',
  'Bright',
  'Canyon',
  'Cedar',
  'Cobalt',
  'Copper',
  'Coral',
  'Crest',
  'Delta',
  'Ember',
  'Evergreen',
  'Falcon',
  'Fern',
  'Flint',
  'Gold',
  'Granite',
  'Harbor',
  'Hazel',
  'Helix',
  'Horizon',
  'Iron',
  'Ivy',
  'Juniper',
  'Keystone',
  'Lakeside',
  'Linden',
  'Lumen',
  'Maple',
  'Meadow',
  'Meridian',
  'Nimbus',
  'North',
  'Oak',
  'Onyx',
  'Orchid',
  'Pine',
  'Prairie',
  'Quartz',
  'Raven',
  'Red',
  'Ridge',
  'River',
  'Sage',
  'Silver',
  'Sky',
  'Spruce',
  'Stone',
  'Summit',
  'Tide',
  'Timber',
  'Valley',
  'Vista',
  'Willow',
  'Zenith'
] as const;

const NAME_PARTS_B = [
  'Analytics',
  'Bakery',
  'Builders',
  'Capital',
  'Clinics',
  'Consulting',
  'Dental',
  'Design',
  'Distribution',
  'Electric',
  'Engineering',
  'Farms',
  'Fitness',
  'Foods',
  'Freight',
  'Health',
  'Homes',
  'Hospitality',
  'Insurance',
  'Labs',
  'Legal',
  'Logistics',
  'Machining',
  'Marine',
  'Media',
  'Medical',
  'Metals',
  'Motors',
  'Outfitters',
  'Packaging',
  'Partners',
  'Pharma',
  'Plastics',
  'Printing',
  'Properties',
  'Realty',
  'Robotics',
  'Security',
  'Software',
  'Solar',
  'Staffing',
  'Supply',
  'Systems',
  'Textiles',
  'Tools',
  'Transport',
  'Travel',
  'Ventures',
  'Wholesale',
  'Works'
] as const;

const SUFFIXES = ['Inc', 'LLC', 'Ltd', 'Co', 'Group', 'GmbH', 'Corp', 'Holdings'] as const;

/** A company name for a fame band: Famous from the fixed list, Known from a mid-sized fixed pool, Unknown generated. */
export function companyName(rng: FloorRng, fame: FameBand): string {
  if (fame === 'Famous') return rng.pick(FAMOUS_COMPANIES);
  if (fame === 'Known') {
    // A pool of 640 names (64 x 10 suffix-free), so known companies recur across leads.
    return `${rng.pick(NAME_PARTS_A)} ${NAME_PARTS_B[rng.int(0, 9)] as string}`;
  }
  return `${rng.pick(NAME_PARTS_A)} ${rng.pick(NAME_PARTS_B)} ${rng.pick(SUFFIXES)}`;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'company'
  );
}

/** A fictional North American number: 555-0100..0199 is reserved for fiction. */
export function fictionalPhone(rng: FloorRng): string {
  return `+1 ${rng.int(201, 989)} 555 01${String(rng.int(0, 99)).padStart(2, '0')}`;
}

export interface ZoneInfo {
  zone: string;
  /** Languages spoken by leads in this zone, with shares. */
  languages: ReadonlyArray<readonly [string, number]>;
  country: string;
  states: readonly string[];
}

export const LEAD_ZONES: ReadonlyArray<readonly [ZoneInfo, number]> = [
  [
    {
      zone: 'America/New_York',
      languages: [
        ['English', 0.9],
        ['Spanish', 0.1]
      ],
      country: 'United States',
      states: ['NY', 'MA', 'PA', 'GA', 'FL', 'NC']
    },
    0.34
  ],
  [
    {
      zone: 'America/Chicago',
      languages: [
        ['English', 0.88],
        ['Spanish', 0.12]
      ],
      country: 'United States',
      states: ['IL', 'TX', 'MN', 'MO', 'WI']
    },
    0.24
  ],
  [
    {
      zone: 'America/Denver',
      languages: [
        ['English', 0.9],
        ['Spanish', 0.1]
      ],
      country: 'United States',
      states: ['CO', 'UT', 'NM']
    },
    0.07
  ],
  [
    {
      zone: 'America/Phoenix',
      languages: [
        ['English', 0.85],
        ['Spanish', 0.15]
      ],
      country: 'United States',
      states: ['AZ']
    },
    0.03
  ],
  [
    {
      zone: 'America/Los_Angeles',
      languages: [
        ['English', 0.85],
        ['Spanish', 0.15]
      ],
      country: 'United States',
      states: ['CA', 'WA', 'OR', 'NV']
    },
    0.2
  ],
  [
    { zone: 'Europe/London', languages: [['English', 1]], country: 'United Kingdom', states: [] },
    0.05
  ],
  [
    {
      zone: 'Europe/Berlin',
      languages: [
        ['German', 0.75],
        ['English', 0.25]
      ],
      country: 'Germany',
      states: []
    },
    0.04
  ],
  [
    {
      zone: 'Europe/Paris',
      languages: [
        ['French', 0.8],
        ['English', 0.2]
      ],
      country: 'France',
      states: []
    },
    0.03
  ]
];

export const LANGUAGES = ['English', 'Spanish', 'German', 'French'] as const;

export const PRODUCTS = ['Line Core', 'Line Analytics', 'Line Field Service'] as const;
export const productShares = weighted<string>([
  ['Line Core', 0.6],
  ['Line Analytics', 0.28],
  ['Line Field Service', 0.12]
]);

export const LEAD_SOURCES = [
  'Purchased List',
  'Web',
  'Trade Show',
  'Partner Referral',
  'Phone Inquiry',
  'Other'
] as const;
export const leadSourceShares = weighted<string>([
  ['Purchased List', 0.4],
  ['Web', 0.25],
  ['Trade Show', 0.1],
  ['Partner Referral', 0.08],
  ['Phone Inquiry', 0.07],
  ['Other', 0.1]
]);
export const INBOUND_SOURCES: ReadonlySet<string> = new Set(['Web', 'Phone Inquiry']);

export const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'] as const;
/** Segment given fame: famous names are mostly enterprises, unknown ones mostly small. */
export const segmentByFame: Record<FameBand, ReturnType<typeof weighted<string>>> = {
  Unknown: weighted([
    ['SMB', 0.75],
    ['Mid-Market', 0.22],
    ['Enterprise', 0.03]
  ]),
  Known: weighted([
    ['SMB', 0.2],
    ['Mid-Market', 0.6],
    ['Enterprise', 0.2]
  ]),
  Famous: weighted([
    ['SMB', 0],
    ['Mid-Market', 0.15],
    ['Enterprise', 0.85]
  ])
};

/** Values of the standard Industry picklist of a new org. */
export const INDUSTRIES = [
  'Manufacturing',
  'Healthcare',
  'Retail',
  'Finance',
  'Technology',
  'Construction',
  'Transportation',
  'Hospitality',
  'Education',
  'Consulting'
] as const;

/** Rep teams: a zone, a city and the languages its reps may speak besides English. */
export const TEAMS = [
  { team: 'East', zone: 'America/New_York', city: 'Boston', languages: ['Spanish'] },
  { team: 'Central', zone: 'America/Chicago', city: 'Chicago', languages: ['Spanish'] },
  { team: 'Mountain', zone: 'America/Denver', city: 'Denver', languages: [] },
  { team: 'West', zone: 'America/Los_Angeles', city: 'San Francisco', languages: ['Spanish'] },
  { team: 'EMEA', zone: 'Europe/London', city: 'London', languages: ['German', 'French'] }
] as const;
