/**
 * The consoles the preview serves, one page each, and their App Builder design attributes
 * (read from each component's js-meta.xml) so a page URL can set them the way an admin sets
 * them in Lightning App Builder: `/preview/forecast?periodType=Quarter`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { LWC_DIR } from './paths';

/** Which demo user a console opens as when the URL names none. */
export type ConsoleRole = 'sdr' | 'manager' | 'marketer' | 'revops' | 'coordinator';

/** How the index page names the user a console opens as. */
export const ROLE_NAMES: Record<ConsoleRole, string> = {
  sdr: 'an SDR',
  manager: 'the manager',
  marketer: 'a marketer',
  revops: 'RevOps',
  coordinator: 'a coordinator'
};

export interface ConsoleDef {
  /** URL segment: /preview/<slug>. */
  slug: string;
  title: string;
  /** Component folder in force-app/main/default/lwc (namespace c). */
  component: string;
  role: ConsoleRole;
  /** Record page component: the page needs a recordId (and derives objectApiName). */
  recordPage: boolean;
}

export const CONSOLES: readonly ConsoleDef[] = [
  {
    slug: 'work-queue',
    title: 'Work Queue',
    component: 'workQueue',
    role: 'sdr',
    recordPage: false
  },
  { slug: 'bin-board', title: 'Bin Board', component: 'binBoard', role: 'sdr', recordPage: false },
  {
    slug: 'line-monitor',
    title: 'Line Monitor',
    component: 'lineMonitor',
    role: 'manager',
    recordPage: false
  },
  {
    slug: 'forecast',
    title: 'Forecast',
    component: 'forecastConsole',
    role: 'manager',
    recordPage: false
  },
  {
    slug: 'demo-calendar',
    title: 'Demo Calendar',
    component: 'demoCalendar',
    role: 'coordinator',
    recordPage: false
  },
  {
    slug: 'campaigns',
    title: 'Campaigns',
    component: 'campaignConsole',
    role: 'marketer',
    recordPage: false
  },
  {
    slug: 'planning',
    title: 'Planning',
    component: 'planningConsole',
    role: 'revops',
    recordPage: false
  },
  {
    slug: 'stage-timer',
    title: 'Stage Timer',
    component: 'stageTimer',
    role: 'sdr',
    recordPage: true
  }
];

export function consoleBySlug(slug: string): ConsoleDef | undefined {
  return CONSOLES.find((candidate) => candidate.slug === slug);
}

export interface DesignAttribute {
  name: string;
  type: 'Integer' | 'String' | 'Boolean';
  min?: number;
  max?: number;
  /** Allowed values of a picklist-like String attribute (`datasource="A,B"`). */
  choices?: string[];
}

const propertySchema = z.object({
  '@_name': z.string().min(1),
  '@_type': z.enum(['Integer', 'String', 'Boolean']),
  '@_min': z.coerce.number().optional(),
  '@_max': z.coerce.number().optional(),
  '@_datasource': z.string().optional()
});
const metaSchema = z.object({
  LightningComponentBundle: z.object({
    targetConfigs: z
      .object({
        targetConfig: z.array(z.object({ property: z.array(propertySchema).default([]) }))
      })
      .optional()
  })
});

/** The design attributes a component declares in any of its target configs. */
export function designAttributes(component: string): DesignAttribute[] {
  const file = path.join(LWC_DIR, component, `${component}.js-meta.xml`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseAttributeValue: false,
    isArray: (name) => name === 'targetConfig' || name === 'property'
  });
  const meta = metaSchema.parse(parser.parse(readFileSync(file, 'utf8')));
  const byName = new Map<string, DesignAttribute>();
  for (const config of meta.LightningComponentBundle.targetConfigs?.targetConfig ?? []) {
    for (const property of config.property) {
      byName.set(property['@_name'], {
        name: property['@_name'],
        type: property['@_type'],
        ...(property['@_min'] === undefined ? {} : { min: property['@_min'] }),
        ...(property['@_max'] === undefined ? {} : { max: property['@_max'] }),
        ...(property['@_datasource'] === undefined
          ? {}
          : { choices: property['@_datasource'].split(',').map((choice) => choice.trim()) })
      });
    }
  }
  return [...byName.values()];
}

export class DesignAttributeError extends Error {
  constructor(
    readonly attribute: string,
    readonly value: string,
    expected: string
  ) {
    super(
      `design attribute ${attribute}=${JSON.stringify(value)} is invalid: expected ${expected}`
    );
    this.name = 'DesignAttributeError';
  }
}

/** Turns query parameters named like design attributes into typed component properties. */
export function propsFromQuery(
  attributes: DesignAttribute[],
  query: Record<string, unknown>
): Record<string, string | number | boolean> {
  const props: Record<string, string | number | boolean> = {};
  for (const attribute of attributes) {
    const raw = query[attribute.name];
    if (typeof raw !== 'string') continue;
    props[attribute.name] = coerce(attribute, raw);
  }
  return props;
}

function coerce(attribute: DesignAttribute, raw: string): string | number | boolean {
  switch (attribute.type) {
    case 'Integer': {
      const value = Number(raw);
      const min = attribute.min ?? Number.MIN_SAFE_INTEGER;
      const max = attribute.max ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new DesignAttributeError(attribute.name, raw, `a whole number from ${min} to ${max}`);
      }
      return value;
    }
    case 'Boolean':
      if (raw !== 'true' && raw !== 'false') {
        throw new DesignAttributeError(attribute.name, raw, 'true or false');
      }
      return raw === 'true';
    default:
      if (attribute.choices !== undefined && !attribute.choices.includes(raw)) {
        throw new DesignAttributeError(
          attribute.name,
          raw,
          `one of ${attribute.choices.join(', ')}`
        );
      }
      return raw;
  }
}

const objectsSchema = z.object({
  LightningComponentBundle: z.object({
    targetConfigs: z
      .object({
        targetConfig: z.array(
          z.object({ objects: z.object({ object: z.array(z.string()) }).optional() })
        )
      })
      .optional()
  })
});

/** The objects whose record pages may hold a component (`<objects>` in its js-meta.xml). */
export function recordPageObjects(component: string): string[] {
  const file = path.join(LWC_DIR, component, `${component}.js-meta.xml`);
  const parser = new XMLParser({ isArray: (name) => name === 'targetConfig' || name === 'object' });
  const meta = objectsSchema.parse(parser.parse(readFileSync(file, 'utf8')));
  return (meta.LightningComponentBundle.targetConfigs?.targetConfig ?? []).flatMap(
    (config) => config.objects?.object ?? []
  );
}
