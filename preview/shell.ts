/**
 * The preview's HTML: one shell page per console, shaped like a Lightning app page (the app's
 * navigation bar with its tabs, then the component), with a user switcher, plus an index page.
 * SLDS comes from @salesforce-ux/design-system (its standard style sheet, unpatched: what the
 * consoles look like with it is what the preview should show), served at /assets as SLDS
 * expects.
 */
import { CONSOLES, ROLE_NAMES, type ConsoleDef } from './consoles';
import type { PreviewUser, RecordRef } from './directory';

export interface BootData {
  component: string;
  props: Record<string, unknown>;
  session: {
    userId: string;
    username: string;
    displayName: string;
    timeZone: string;
    apiVersion: string;
    accessToken: string;
    renewUrl: string;
  };
}

export interface ConsolePage {
  console: ConsoleDef;
  boot: BootData;
  users: PreviewUser[];
  bundleUrl: string;
  orgUrl: string;
  record?: RecordRef;
}

const APP_NAME = 'Sales Assembly Line';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string
  );
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · ${APP_NAME} (preview)</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #f3f3f3; min-height: 100vh; }
  .preview-banner { background: #fef1ee; }
  .preview-main { max-width: 1440px; margin: 0 auto; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function navigation(active: string | null, userSwitcher: string): string {
  const tabs = CONSOLES.map(
    (item) => `<li class="slds-context-bar__item${item.slug === active ? ' slds-is-active' : ''}">
        <a href="/preview/${item.slug}" class="slds-context-bar__label-action" title="${escapeHtml(item.title)}"${
          item.slug === active ? ' aria-current="page"' : ''
        }><span class="slds-truncate">${escapeHtml(item.title)}</span></a>
      </li>`
  ).join('\n      ');
  return `<div class="slds-context-bar">
  <div class="slds-context-bar__primary">
    <div class="slds-context-bar__item slds-no-hover">
      <a href="/preview/" class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate">${APP_NAME}</span></a>
    </div>
  </div>
  <nav class="slds-context-bar__secondary" role="navigation" aria-label="Consoles">
    <ul class="slds-grid">
      ${tabs}
    </ul>
  </nav>
  ${userSwitcher}
</div>`;
}

function userSwitcher(users: PreviewUser[], selected: string): string {
  const groups = new Map<string, PreviewUser[]>();
  for (const user of users) {
    const title = user.Title ?? 'Other';
    groups.set(title, [...(groups.get(title) ?? []), user]);
  }
  const options = [...groups.entries()]
    .map(
      ([title, members]) =>
        `<optgroup label="${escapeHtml(title)}">${members
          .map(
            (user) =>
              `<option value="${escapeHtml(user.Username)}"${user.Username === selected ? ' selected' : ''}>${escapeHtml(user.Name ?? user.Username)}</option>`
          )
          .join('')}</optgroup>`
    )
    .join('');
  return `<form class="slds-context-bar__tertiary slds-grid slds-grid_vertical-align-center slds-p-right_small" method="get">
    <label class="slds-form-element__label slds-m-right_x-small" for="preview-user">Viewing as</label>
    <div class="slds-select_container"><select class="slds-select" id="preview-user" name="user">${options}</select></div>
    <noscript><button class="slds-button slds-button_neutral slds-m-left_x-small" type="submit">Switch</button></noscript>
  </form>`;
}

function banner(text: string): string {
  return `<div class="preview-banner slds-p-horizontal_medium slds-p-vertical_xx-small slds-text-body_small" role="note">${text}</div>`;
}

export function renderConsolePage(page: ConsolePage): string {
  const { console: item, boot, users, record } = page;
  const recordLine = record
    ? ` · ${escapeHtml(record.objectApiName)}: <a href="/preview/stage-timer?recordId=${escapeHtml(record.id)}">${escapeHtml(record.name)}</a>`
    : '';
  const body = `${navigation(item.slug, userSwitcher(users, boot.session.username))}
${banner(
  `Preview: the package's <strong>${escapeHtml(item.title)}</strong> component against the local org at <a href="${escapeHtml(page.orgUrl)}">${escapeHtml(page.orgUrl)}</a>, signed in as <strong data-id="preview-user-name">${escapeHtml(boot.session.displayName)}</strong>${recordLine}. Not Salesforce: see docs/preview.md.`
)}
<main class="preview-main slds-p-around_medium">
  <div id="console-root" data-console="${escapeHtml(item.component)}"></div>
</main>
<script type="application/json" id="asl-preview-boot">${scriptJson(boot)}</script>
<script type="module" src="${escapeHtml(page.bundleUrl)}"></script>`;
  return layout(record ? `${item.title}: ${record.name}` : item.title, body);
}

export function renderIndexPage(orgUrl: string, samples: RecordRef[]): string {
  const cards = CONSOLES.map(
    (item) => `<li class="slds-item"><a href="/preview/${item.slug}">${escapeHtml(item.title)}</a>
      <span class="slds-text-color_weak"> · c-${kebab(item.component)}, opens as ${ROLE_NAMES[item.role]}</span></li>`
  ).join('\n');
  const records = samples
    .map(
      (sample) =>
        `<li class="slds-item"><a href="/preview/stage-timer?recordId=${escapeHtml(sample.id)}">${escapeHtml(sample.objectApiName)}: ${escapeHtml(sample.name)}</a></li>`
    )
    .join('\n');
  const body = `${navigation(null, '')}
${banner(`Preview of the package's consoles against the local org at <a href="${escapeHtml(orgUrl)}">${escapeHtml(orgUrl)}</a>. Add <code>?user=&lt;username&gt;</code> to open a console as someone else.`)}
<main class="preview-main slds-p-around_medium">
  <article class="slds-card"><div class="slds-card__header"><h1 class="slds-card__header-title">Consoles</h1></div>
    <div class="slds-card__body slds-card__body_inner"><ul class="slds-has-dividers_bottom-space">${cards}</ul></div></article>
  <article class="slds-card slds-m-top_medium"><div class="slds-card__header"><h2 class="slds-card__header-title">Stage Timer on record pages</h2></div>
    <div class="slds-card__body slds-card__body_inner"><ul class="slds-has-dividers_bottom-space">${records || '<li class="slds-item">No record is at a station yet.</li>'}</ul></div></article>
</main>`;
  return layout('Consoles', body);
}

export function renderErrorPage(status: number, title: string, message: string): string {
  return layout(
    title,
    `${navigation(null, '')}
<main class="preview-main slds-p-around_medium">
  <div class="slds-notify slds-notify_alert slds-alert_error" role="alert">
    <h2>${status} ${escapeHtml(title)}</h2><p class="slds-m-left_x-small">${escapeHtml(message)}</p>
  </div>
</main>`
  );
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
