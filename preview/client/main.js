/**
 * Entry of the preview bundle: mounts the console the shell page names, with the properties
 * the page passes (design attributes, record page context), and wires the user switcher.
 * Synthetic shadow comes first: lightning-base-components and SLDS's global style sheet
 * expect it, as in Lightning Experience.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import WorkQueue from 'c/workQueue';
import BinBoard from 'c/binBoard';
import LineMonitor from 'c/lineMonitor';
import ForecastConsole from 'c/forecastConsole';
import StageTimer from 'c/stageTimer';
import DemoCalendar from 'c/demoCalendar';
import CampaignConsole from 'c/campaignConsole';
import PlanningConsole from 'c/planningConsole';
import { bootData } from './platform/session';

const COMPONENTS = {
    workQueue: { tag: 'c-work-queue', ctor: WorkQueue },
    binBoard: { tag: 'c-bin-board', ctor: BinBoard },
    lineMonitor: { tag: 'c-line-monitor', ctor: LineMonitor },
    forecastConsole: { tag: 'c-forecast-console', ctor: ForecastConsole },
    stageTimer: { tag: 'c-stage-timer', ctor: StageTimer },
    demoCalendar: { tag: 'c-demo-calendar', ctor: DemoCalendar },
    campaignConsole: { tag: 'c-campaign-console', ctor: CampaignConsole },
    planningConsole: { tag: 'c-planning-console', ctor: PlanningConsole }
};

function mountConsole() {
    const boot = bootData();
    const entry = COMPONENTS[boot.component];
    // eslint-disable-next-line @lwc/lwc/no-document-query -- the page entry owns the page, it is no component
    const root = document.getElementById('console-root');
    if (!entry) {
        root.textContent = `Unknown console component: ${boot.component}`;
        return;
    }
    const element = createElement(entry.tag, { is: entry.ctor });
    Object.assign(element, boot.props || {});
    root.appendChild(element);
}

/** Choosing another user reloads the page as that user (the session is per page). */
function wireUserSwitcher() {
    // eslint-disable-next-line @lwc/lwc/no-document-query -- the shell's own control, outside every component
    const select = document.getElementById('preview-user');
    if (!select) {
        return;
    }
    select.addEventListener('change', () => {
        const url = new URL(window.location.href);
        url.searchParams.set('user', select.value);
        window.location.assign(url.toString());
    });
}

wireUserSwitcher();
mountConsole();
