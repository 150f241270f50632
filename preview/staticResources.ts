/**
 * Static resources of the package (force-app/main/default/staticresources), served by the
 * preview under Salesforce's URL shape `/resource/<stamp>/<name>` so that
 * `@salesforce/resourceUrl/<name>` resolves to something the browser can load. Two source
 * forms are supported: a single file (`chartjs.js` + `chartjs.resource-meta.xml`) and an
 * expanded archive folder (`name/` + `name.resource-meta.xml`), as sfdx stores them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

export interface StaticResource {
  name: string;
  /** The file (single-file resource) or folder (expanded archive). */
  location: string;
  kind: 'file' | 'folder';
  contentType: string;
  /** Changes whenever the content changes, like Salesforce's timestamp segment. */
  stamp: string;
}

const metaSchema = z.object({
  StaticResource: z.object({ contentType: z.string().min(1) })
});

export class StaticResourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaticResourceError';
  }
}

/** The URL path of a resource, as `@salesforce/resourceUrl/<name>` yields it. */
export function resourceUrl(resource: StaticResource): string {
  return `/resource/${resource.stamp}/${resource.name}`;
}

export function readStaticResources(dir: string): Map<string, StaticResource> {
  const resources = new Map<string, StaticResource>();
  if (!existsSync(dir)) return resources;
  const entries = readdirSync(dir);
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  for (const metaFile of entries.filter((entry) => entry.endsWith('.resource-meta.xml'))) {
    const name = metaFile.slice(0, -'.resource-meta.xml'.length);
    const parsed = metaSchema.safeParse(
      parser.parse(readFileSync(path.join(dir, metaFile), 'utf8'))
    );
    if (!parsed.success) {
      throw new StaticResourceError(
        `${metaFile}: StaticResource.contentType is missing; add <contentType>application/javascript</contentType> or the resource's type`
      );
    }
    const folder = path.join(dir, name);
    const files = entries.filter(
      (entry) => entry !== metaFile && entry.startsWith(`${name}.`) && !entry.endsWith('.xml')
    );
    let resource: StaticResource;
    if (existsSync(folder) && statSync(folder).isDirectory()) {
      resource = {
        name,
        location: folder,
        kind: 'folder',
        contentType: parsed.data.StaticResource.contentType,
        stamp: stampOfFolder(folder)
      };
    } else if (files.length === 1) {
      const location = path.join(dir, files[0] as string);
      resource = {
        name,
        location,
        kind: 'file',
        contentType: parsed.data.StaticResource.contentType,
        stamp: stampOf([readFileSync(location)])
      };
    } else {
      throw new StaticResourceError(
        `static resource ${name}: expected one file ${name}.<ext> or a folder ${name}/ beside ${metaFile}, found ${files.length} files`
      );
    }
    resources.set(name, resource);
  }
  return resources;
}

function stampOf(parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 12);
}

function stampOfFolder(folder: string): string {
  const parts: Buffer[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else parts.push(Buffer.from(path.relative(folder, full)), readFileSync(full));
    }
  };
  walk(folder);
  return stampOf(parts);
}
