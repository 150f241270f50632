/**
 * The preview session: who is signed in and how to reach the org. The shell page embeds it as
 * JSON (element #asl-preview-boot), obtained by the preview server from the local org's
 * local-only password grant; requests go to the org through the preview server, same origin.
 */
const BOOT_ELEMENT_ID = 'asl-preview-boot';

let boot = null;

/**
 * The page's boot data: { component, props, session: { userId, username, displayName,
 * timeZone, apiVersion, accessToken, renewUrl } }.
 */
export function bootData() {
    if (!boot) {
        // eslint-disable-next-line @lwc/lwc/no-document-query -- the shell page's data, outside every component
        const element = document.getElementById(BOOT_ELEMENT_ID);
        if (!element) {
            throw new Error(
                `The preview page has no #${BOOT_ELEMENT_ID} element: open a console through the preview server (/preview/...).`
            );
        }
        boot = JSON.parse(element.textContent);
    }
    return boot;
}

export function session() {
    return bootData().session;
}

/** A path of the org's REST API for the session's API version, e.g. dataPath('/graphql'). */
export function dataPath(resource) {
    return `/services/data/v${session().apiVersion}${resource}`;
}

const renewListeners = new Set();

/** Calls back with the new access token whenever the session is renewed. */
export function onSessionRenewed(listener) {
    renewListeners.add(listener);
    return () => renewListeners.delete(listener);
}

let renewing = null;

/**
 * Gets a new access token for the same user from the preview server (sessions expire after the
 * org's timeout, as on Salesforce). Concurrent callers share one renewal.
 */
export function renewSession() {
    if (!renewing) {
        renewing = fetch(session().renewUrl, { headers: { Accept: 'application/json' } })
            .then(async (response) => {
                if (!response.ok) {
                    throw new Error(`Session renewal failed: HTTP ${response.status}`);
                }
                const renewed = await response.json();
                session().accessToken = renewed.accessToken;
                renewListeners.forEach((listener) => listener(renewed.accessToken));
                return renewed.accessToken;
            })
            .finally(() => {
                renewing = null;
            });
    }
    return renewing;
}

/**
 * Calls the org's REST API as the session user. Resolves to { ok, status, statusText, body }
 * with the JSON body (null when there is none); retries once with a renewed session after
 * 401 INVALID_SESSION_ID. Network failures reject.
 */
export async function orgRequest(method, path, body) {
    const send = () =>
        fetch(path, {
            method,
            headers: {
                Accept: 'application/json',
                Authorization: `Bearer ${session().accessToken}`,
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
            },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
    let response = await send();
    if (response.status === 401) {
        await renewSession();
        response = await send();
    }
    const text = await response.text();
    return {
        ok: response.ok,
        status: response.status,
        statusText: response.statusText,
        body: text ? JSON.parse(text) : null
    };
}

/** The messages of a Salesforce REST error body ([{ message, errorCode }]) or a fallback. */
export function restErrorMessages(result) {
    if (Array.isArray(result.body) && result.body.length) {
        return result.body.map((error) => {
            return error.errorCode ? `${error.errorCode}: ${error.message}` : String(error.message);
        });
    }
    return [`HTTP ${result.status} ${result.statusText}`.trim()];
}
