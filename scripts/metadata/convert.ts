import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import type { Finding } from './project';

export interface ConversionResult {
  readonly findings: Finding[];
  /** Components per metadata type in the converted package (empty when conversion failed). */
  readonly components: Readonly<Record<string, number>>;
}

function display(packageDir: string, message: string): string {
  // SDR messages carry absolute paths; findings show paths relative to the project.
  return message.split(dirname(packageDir) + sep).join('');
}

function fileIn(packageDir: string, message: string): string {
  const match = message.match(new RegExp(`${packageDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s'"]*`));
  return match ? relative(dirname(packageDir), match[0].replace(/[:.,]+$/, '')).split(sep).join('/') : basename(packageDir);
}

/**
 * Converts the source to Metadata API format with @salesforce/source-deploy-retrieve, the
 * library `sf project deploy start` uses, into a temporary directory. The API version is set
 * explicitly: otherwise SDR may ask an org for its highest version over the network.
 */
export async function convertPackage(packageDir: string, apiVersion: string): Promise<ConversionResult> {
  const output = mkdtempSync(join(tmpdir(), 'asl-mdapi-'));
  try {
    const components = ComponentSet.fromSource(packageDir);
    components.sourceApiVersion = apiVersion;
    components.apiVersion = apiVersion;
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory: output,
      packageName: undefined,
      genUniqueDir: false
    });
    const manifest = join(output, 'package.xml');
    if (!existsSync(manifest)) {
      return { findings: [{ rule: 'convert', file: basename(packageDir), message: 'conversion wrote no package.xml' }], components: {} };
    }
    const version = readFileSync(manifest, 'utf8').match(/<version>([^<]+)<\/version>/)?.[1];
    const findings: Finding[] =
      version === apiVersion
        ? []
        : [{ rule: 'convert', file: basename(packageDir), message: `package.xml has version ${version ?? 'none'}, expected ${apiVersion}` }];
    const counts: Record<string, number> = {};
    for (const component of components.getSourceComponents()) counts[component.type.name] = (counts[component.type.name] ?? 0) + 1;
    return { findings, components: counts };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      findings: [{ rule: 'convert', file: fileIn(packageDir, message), message: `does not convert to Metadata API format: ${display(packageDir, message)}` }],
      components: {}
    };
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

export async function convertOffline(packageDir: string, apiVersion: string): Promise<Finding[]> {
  return (await convertPackage(packageDir, apiVersion)).findings;
}
