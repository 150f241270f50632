/**
 * The Salesforce-only modules the consoles import, resolved for the preview build:
 *
 * - `@salesforce/label/c.<Name>`: the label's text from CustomLabels (generated module);
 * - `@salesforce/resourceUrl/<name>`: the URL the preview serves the static resource at;
 * - `@salesforce/user/Id`, `@salesforce/i18n/timeZone` and the `lightning/*` modules the
 *   platform provides (graphql, uiRecordApi, empApi, platformResourceLoader): the preview
 *   platform layer in preview/client/platform, written over the local org's REST, GraphQL and
 *   CometD endpoints.
 *
 * Anything else under `@salesforce/` that a console imports (schema, apex, ...) is not part of
 * the preview and fails the build with the module's name, rather than failing in the browser.
 */
import path from 'node:path';
import type { Plugin } from 'rollup';
import { CLIENT_DIR } from './paths';
import { resourceUrl, type StaticResource } from './staticResources';

const PLATFORM_DIR = path.join(CLIENT_DIR, 'platform');

/** Platform modules of the preview layer, by import specifier. */
export const PLATFORM_MODULES: Record<string, string> = {
  'lightning/graphql': path.join(PLATFORM_DIR, 'lightning/graphql.js'),
  'lightning/uiRecordApi': path.join(PLATFORM_DIR, 'lightning/uiRecordApi.js'),
  'lightning/empApi': path.join(PLATFORM_DIR, 'lightning/empApi.js'),
  'lightning/platformResourceLoader': path.join(
    PLATFORM_DIR,
    'lightning/platformResourceLoader.js'
  ),
  '@salesforce/user/Id': path.join(PLATFORM_DIR, 'salesforce/userId.js'),
  // lightning-base-components' own default is a fixed zone; Salesforce gives the user's.
  '@salesforce/i18n/timeZone': path.join(PLATFORM_DIR, 'salesforce/timeZone.js')
};

const LABEL_PREFIX = '@salesforce/label/c.';
const RESOURCE_PREFIX = '@salesforce/resourceUrl/';
const VIRTUAL = '\0asl-preview:';

export class PreviewModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewModuleError';
  }
}

export function salesforceModules(options: {
  labels: Map<string, string>;
  resources: Map<string, StaticResource>;
}): Plugin {
  return {
    name: 'asl-salesforce-modules',
    resolveId(source, importer) {
      const platform = PLATFORM_MODULES[source];
      if (platform !== undefined) return platform;
      if (source.startsWith(LABEL_PREFIX) || source.startsWith(RESOURCE_PREFIX)) {
        return `${VIRTUAL}${source}`;
      }
      // Modules of lightning-base-components' own config (its labels, i18n, gates) are
      // resolved by the LWC plugin; only the package's components are checked here.
      if (
        source.startsWith('@salesforce/') &&
        importer !== undefined &&
        isPackageSource(importer)
      ) {
        throw new PreviewModuleError(
          `${path.basename(importer)} imports ${source}, which the preview does not provide (it serves labels, resourceUrl and user/Id); add it to preview/rollupPlugins.ts`
        );
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source.startsWith(LABEL_PREFIX)) {
        const name = source.slice(LABEL_PREFIX.length);
        const value = options.labels.get(name);
        if (value === undefined) {
          throw new PreviewModuleError(
            `custom label ${name} is imported but not defined in labels/CustomLabels.labels-meta.xml`
          );
        }
        return `export default ${JSON.stringify(value)};`;
      }
      const name = source.slice(RESOURCE_PREFIX.length);
      const resource = options.resources.get(name);
      if (resource === undefined) {
        throw new PreviewModuleError(
          `static resource ${name} is imported but there is no staticresources/${name}.resource-meta.xml`
        );
      }
      return `export default ${JSON.stringify(resourceUrl(resource))};`;
    }
  };
}

function isPackageSource(file: string): boolean {
  return file.includes(`${path.sep}force-app${path.sep}`);
}
