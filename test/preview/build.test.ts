import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PluginContext, ResolveIdResult } from 'rollup';
import { readLabels, LabelError } from '../../preview/labels';
import { LABELS_FILE, LWC_DIR, STATIC_RESOURCES_DIR } from '../../preview/paths';
import {
  PLATFORM_MODULES,
  PreviewModuleError,
  salesforceModules
} from '../../preview/rollupPlugins';
import { readStaticResources, resourceUrl } from '../../preview/staticResources';
import { buildKey } from '../../preview/build';

type Hook = (this: PluginContext, ...args: unknown[]) => unknown;

describe('preview build inputs', () => {
  const plugin = salesforceModules({
    labels: readLabels(LABELS_FILE),
    resources: readStaticResources(STATIC_RESOURCES_DIR)
  });
  const resolve = (
    source: string,
    importer = path.join(LWC_DIR, 'workQueue/workQueue.js')
  ): ResolveIdResult =>
    (plugin.resolveId as Hook).call({} as PluginContext, source, importer, {}) as ResolveIdResult;
  const load = (id: string): unknown => (plugin.load as Hook).call({} as PluginContext, id);

  it('reads every custom label of the package', () => {
    const labels = readLabels(LABELS_FILE);
    const defined = readFileSync(LABELS_FILE, 'utf8').match(/<labels>/g)?.length;
    expect(labels.size).toBe(defined);
    expect(labels.get('ASL_WQ_In_Queue')).toBe('{0} in queue');
  });

  it('refuses a labels file that defines a label twice', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-labels-'));
    const file = path.join(dir, 'CustomLabels.labels-meta.xml');
    const label = '<labels><fullName>X</fullName><value>x</value></labels>';
    writeFileSync(file, `<?xml version="1.0"?><CustomLabels>${label}${label}</CustomLabels>`);
    try {
      expect(() => readLabels(file)).toThrow(LabelError);
      expect(() => readLabels(file)).toThrow('label X is defined twice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives @salesforce/label/c.* the text from CustomLabels and fails the build on an unknown label', () => {
    const id = resolve('@salesforce/label/c.ASL_WQ_In_Queue') as string;
    expect(load(id)).toBe('export default "{0} in queue";');
    const unknown = resolve('@salesforce/label/c.ASL_No_Such_Label') as string;
    expect(() => load(unknown)).toThrow(PreviewModuleError);
    expect(() => load(unknown)).toThrow(
      'custom label ASL_No_Such_Label is imported but not defined'
    );
  });

  it('points @salesforce/resourceUrl/* at the served static resource', () => {
    const chartjs = readStaticResources(STATIC_RESOURCES_DIR).get('chartjs');
    expect(chartjs?.kind).toBe('file');
    expect(resourceUrl(chartjs as NonNullable<typeof chartjs>)).toMatch(
      /^\/resource\/[0-9a-f]{12}\/chartjs$/
    );
    expect(load(resolve('@salesforce/resourceUrl/chartjs') as string)).toBe(
      `export default ${JSON.stringify(resourceUrl(chartjs as NonNullable<typeof chartjs>))};`
    );
    expect(() => load(resolve('@salesforce/resourceUrl/nothing') as string)).toThrow(
      'static resource nothing is imported'
    );
  });

  it('maps the platform modules to the preview layer and refuses other Salesforce modules in the package', () => {
    expect(resolve('lightning/graphql')).toBe(PLATFORM_MODULES['lightning/graphql']);
    expect(resolve('@salesforce/user/Id')).toBe(PLATFORM_MODULES['@salesforce/user/Id']);
    expect(() => resolve('@salesforce/apex/Foo.bar')).toThrow('which the preview does not provide');
    // lightning-base-components' own Salesforce modules are left to the LWC plugin.
    expect(
      resolve(
        '@salesforce/i18n/locale',
        '/x/node_modules/lightning-base-components/src/lightning/input/input.js'
      )
    ).toBeNull();
    expect(resolve('lightning/card')).toBeNull();
  });

  it('keys the build on its inputs, the same key for the same sources', () => {
    expect(buildKey()).toMatch(/^[0-9a-f]{16}$/);
    expect(buildKey()).toBe(buildKey());
  });
});
