/**
 * Helpers shared by the Sales Assembly Line consoles: error reduction, formatting, reading
 * UI API GraphQL responses and listening to the engine's signals. No template, no state.
 */
import { subscribe, unsubscribe, onError } from 'lightning/empApi';

/** The platform event channel the engine publishes on (RERANKED, ASSIGNED, JOB_RUN, ...). */
export const ENGINE_SIGNAL_CHANNEL = '/event/Engine_Signal__e';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Turns LDS, GraphQL, fetch and script errors (one or a list) into a list of messages. */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .map((error) => {
            if (typeof error === 'string') {
                return error;
            }
            const body = error.body;
            if (Array.isArray(body)) {
                return body.map((item) => item.message);
            }
            if (body && body.output) {
                const output = body.output;
                const pageErrors = (output.errors || []).map((item) => item.message);
                const fieldErrors = Object.values(output.fieldErrors || {})
                    .flat()
                    .map((item) => item.message);
                if (pageErrors.length || fieldErrors.length) {
                    return [...pageErrors, ...fieldErrors];
                }
            }
            if (body && typeof body.message === 'string') {
                return body.message;
            }
            if (typeof error.message === 'string') {
                return error.message;
            }
            return error.statusText || String(error);
        })
        .flat()
        .filter((message) => !!message);
}

/** Formats a span of milliseconds for people: "2d 4h", "3h 05m", "12m 30s" or "45s". */
export function formatDuration(ms) {
    if (ms === null || ms === undefined || Number.isNaN(Number(ms))) {
        return '';
    }
    const span = Math.max(0, Number(ms));
    const days = Math.floor(span / MS_PER_DAY);
    const hours = Math.floor((span % MS_PER_DAY) / MS_PER_HOUR);
    const minutes = Math.floor((span % MS_PER_HOUR) / MS_PER_MINUTE);
    const seconds = Math.floor((span % MS_PER_MINUTE) / MS_PER_SECOND);
    if (days > 0) {
        return `${days}d ${hours}h`;
    }
    if (hours > 0) {
        return `${hours}h ${pad(minutes)}m`;
    }
    if (minutes > 0) {
        return `${minutes}m ${pad(seconds)}s`;
    }
    return `${seconds}s`;
}

/** Formats whole seconds as a running clock: "04:07", or "1:04:07" past an hour. */
export function formatClock(totalSeconds) {
    const span = Math.max(0, Math.floor(Number(totalSeconds) || 0));
    const hours = Math.floor(span / 3600);
    const minutes = Math.floor((span % 3600) / 60);
    const seconds = span % 60;
    return hours > 0
        ? `${hours}:${pad(minutes)}:${pad(seconds)}`
        : `${pad(minutes)}:${pad(seconds)}`;
}

/** Formats an amount as currency in whole units, e.g. "$1,250,000"; empty for no value. */
export function formatMoney(amount, currencyCode = 'USD', locale = undefined) {
    if (amount === null || amount === undefined || amount === '' || Number.isNaN(Number(amount))) {
        return '';
    }
    return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: currencyCode || 'USD',
        maximumFractionDigits: 0
    }).format(Number(amount));
}

/** Formats a Percent field value (12.5 means 12.5%) with one decimal, e.g. "12.5%". */
export function formatPercent(value) {
    if (value === null || value === undefined || value === '' || Number.isNaN(Number(value))) {
        return '';
    }
    return `${(Math.round(Number(value) * 10) / 10).toFixed(1)}%`;
}

/** Formats a number with at most the given decimals, e.g. 3.14159 -> "3.1". */
export function formatNumber(value, decimals = 1) {
    if (value === null || value === undefined || !Number.isFinite(Number(value))) {
        return '';
    }
    const factor = 10 ** decimals;
    return String(Math.round(Number(value) * factor) / factor);
}

/** Fills {0}, {1}, ... in a custom label with the arguments. */
export function formatLabel(label, ...args) {
    return String(label).replace(/\{(\d+)\}/g, (match, index) => {
        const value = args[index];
        return value === undefined || value === null ? match : String(value);
    });
}

/** Reads a UI API GraphQL field value ({ value }) by dotted path, e.g. 'Lead__r.Name'. */
export function fieldValue(node, path) {
    const leaf = walk(node, path);
    return leaf && typeof leaf === 'object' && 'value' in leaf ? leaf.value : null;
}

/** Reads a field's displayValue (translated picklist, formatted date), else its value. */
export function fieldDisplay(node, path) {
    const leaf = walk(node, path);
    if (!leaf || typeof leaf !== 'object') {
        return null;
    }
    return leaf.displayValue !== undefined && leaf.displayValue !== null
        ? leaf.displayValue
        : leaf.value;
}

/** Returns the records of a GraphQL connection (edges[].node), or [] when there are none. */
export function connectionNodes(connection) {
    return connection && Array.isArray(connection.edges)
        ? connection.edges.map((edge) => edge.node)
        : [];
}

/** Tells whether a connection holds more records than were fetched (a capped view). */
export function isTruncated(connection) {
    return !!(connection && connection.pageInfo && connection.pageInfo.hasNextPage);
}

/** Splits a semicolon list field (e.g. Allowed_Outcomes__c) into trimmed, non-empty items. */
export function splitList(text) {
    return String(text || '')
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

/** Parses a JSON object field (Scope__c, Result__c); null when empty, unreadable or not an object. */
export function parseJsonObject(text) {
    if (!text) {
        return null;
    }
    try {
        const value = JSON.parse(text);
        return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch {
        return null;
    }
}

/** Parses an ISO date or date-time into epoch milliseconds, or null when absent or invalid. */
export function toMillis(iso) {
    if (!iso) {
        return null;
    }
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms;
}

/** True when a key press comes from a field the user types in, so shortcuts must ignore it. */
export function isTypingTarget(event) {
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [event.target];
    const origin = path[0] || event.target;
    if (!origin || !origin.tagName) {
        return false;
    }
    const tag = origin.tagName.toLowerCase();
    return (
        tag === 'input' ||
        tag === 'textarea' ||
        tag === 'select' ||
        origin.isContentEditable === true
    );
}

/**
 * Runs an async refresh at most once at a time: a request made while one runs queues a single
 * follow-up, so a burst of engine signals costs two reads, not one per signal.
 */
export function createRefresher(run) {
    let running = null;
    let again = false;
    return function request() {
        if (running) {
            again = true;
            return running;
        }
        running = (async () => {
            try {
                do {
                    again = false;
                    // eslint-disable-next-line no-await-in-loop
                    await run();
                } while (again);
            } finally {
                running = null;
            }
        })();
        return running;
    };
}

/**
 * Subscribes to the engine's signals; onSignal receives { kind, recordId, payload }.
 * Resolves to the subscription, or null when streaming is unavailable (the console then
 * still works, refreshed by its own actions and the Refresh button).
 */
export function subscribeToSignals(onSignal) {
    onError(() => {
        // Streaming errors must not break a console: it keeps working without live refresh.
    });
    return subscribe(ENGINE_SIGNAL_CHANNEL, -1, (message) => {
        const payload = (message && message.data && message.data.payload) || {};
        onSignal({
            kind: payload.Kind__c || '',
            recordId: payload.Record_Id__c || '',
            payload: payload.Payload__c || ''
        });
    }).catch(() => null);
}

/** Ends a subscription made by subscribeToSignals (null is ignored). */
export function unsubscribeFromSignals(subscription) {
    if (subscription) {
        unsubscribe(subscription, () => {});
    }
}

/**
 * Listens to the engine's signals for as long as a console is on the page: call it from
 * connectedCallback and stop() the handle from disconnectedCallback. Stopping before the
 * subscription has resolved still ends it once it does, so a quickly removed console leaves
 * no listener behind.
 */
export function listenToSignals(onSignal) {
    let subscription = null;
    let stopped = false;
    const ready = subscribeToSignals(onSignal).then((resolved) => {
        if (stopped) {
            unsubscribeFromSignals(resolved);
            return null;
        }
        subscription = resolved;
        return resolved;
    });
    return {
        ready,
        stop() {
            stopped = true;
            unsubscribeFromSignals(subscription);
            subscription = null;
        }
    };
}

/** Makes a signal handler that calls refresh() only for the given signal kinds. */
export function onSignalKinds(kinds, refresh) {
    const wanted = new Set(kinds);
    return (signal) => {
        if (wanted.has(signal.kind)) {
            refresh(signal);
        }
    };
}

/**
 * Refreshes every wired result that can be refreshed (the values of an object or a list of
 * results kept from @wire handlers); results not yet delivered are skipped.
 */
export async function refreshWired(results) {
    const list = Array.isArray(results) ? results : Object.values(results || {});
    const refreshable = list.filter((result) => result && typeof result.refresh === 'function');
    await Promise.all(refreshable.map((result) => result.refresh()));
}

function walk(node, path) {
    return String(path)
        .split('.')
        .reduce(
            (current, key) => (current && typeof current === 'object' ? current[key] : undefined),
            node
        );
}

function pad(number) {
    return String(number).padStart(2, '0');
}
