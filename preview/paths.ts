/**
 * Where the preview finds the project's sources and writes its build. Every path is derived
 * from this file's place in the repository, so the preview works from any working directory.
 */
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const FORCE_APP = path.join(ROOT, 'force-app/main/default');
export const LWC_DIR = path.join(FORCE_APP, 'lwc');
export const LABELS_FILE = path.join(FORCE_APP, 'labels/CustomLabels.labels-meta.xml');
export const STATIC_RESOURCES_DIR = path.join(FORCE_APP, 'staticresources');
export const PREVIEW_DIR = __dirname;
export const CLIENT_DIR = path.join(PREVIEW_DIR, 'client');
export const DIST_DIR = path.join(PREVIEW_DIR, 'dist');
export const SLDS_ASSETS = path.join(ROOT, 'node_modules/@salesforce-ux/design-system/assets');
