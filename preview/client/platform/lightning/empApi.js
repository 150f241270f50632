/**
 * lightning/empApi for the preview: streaming events from the org's CometD endpoint
 * (/cometd/vXX.X, long-polling) with faye's browser client, which the org's faye server
 * serves at /cometd/vXX.X/client.js.
 *
 * Behaviour kept from the platform (LWC Developer Guide, "lightning/empApi"):
 * - subscribe(channel, replayId, onMessage) resolves to a subscription { id, channel,
 *   replayId } once the server confirmed it, and rejects when it refused;
 * - onMessage receives the whole event message: { channel, data: { event: { replayId },
 *   schema, payload } };
 * - replayId -1 starts with new events, -2 with every retained event; after a reconnect
 *   the client resumes after the last event it received, so no event is lost;
 * - onError(callback) hears every refused handshake, connect or subscribe;
 * - unsubscribe(subscription, callback) ends one subscription.
 */
import { onSessionRenewed, session } from '../session';

const errorListeners = new Set();
/** Channel -> replay id to (re)subscribe from: the requested one, then the last one received. */
const replayFrom = new Map();
let clientPromise = null;
let nextId = 1;
let debug = false;

function cometdPath() {
    return `/cometd/${session().apiVersion}`;
}

function loadFaye() {
    if (window.Faye) {
        return Promise.resolve(window.Faye);
    }
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = `${cometdPath()}/client.js`;
        script.onload = () => {
            if (window.Faye) {
                resolve(window.Faye);
            } else {
                reject(new Error('faye did not load'));
            }
        };
        script.onerror = () =>
            reject(new Error(`Could not load the streaming client from ${script.src}`));
        document.head.appendChild(script);
    });
}

function reportError(message) {
    if (debug) {
        console.warn('[empApi]', message);
    }
    errorListeners.forEach((listener) => listener(message));
}

/**
 * Resolves to { faye }: faye's client is a thenable (its Deferrable mixin), so a promise must
 * not resolve to it directly or the promise would wait on the client instead.
 */
function client() {
    if (!clientPromise) {
        clientPromise = loadFaye().then((Faye) => {
            // Long-polling only, as Salesforce's CometD endpoint speaks.
            const faye = new Faye.Client(`${window.location.origin}${cometdPath()}`, {
                timeout: 120,
                retry: 5
            });
            faye.disable('websocket');
            faye.disable('eventsource');
            faye.setHeader('Authorization', `OAuth ${session().accessToken}`);
            onSessionRenewed((token) => faye.setHeader('Authorization', `OAuth ${token}`));
            faye.addExtension({
                outgoing(message, callback) {
                    if (
                        message.channel === '/meta/subscribe' &&
                        replayFrom.has(message.subscription)
                    ) {
                        message.ext = {
                            ...(message.ext || {}),
                            replay: { [message.subscription]: replayFrom.get(message.subscription) }
                        };
                    }
                    callback(message);
                },
                incoming(message, callback) {
                    if (message.channel.startsWith('/meta/') && message.successful === false) {
                        reportError(message);
                    }
                    const replayId =
                        message.data && message.data.event && message.data.event.replayId;
                    if (!message.channel.startsWith('/meta/') && replayId !== undefined) {
                        replayFrom.set(message.channel, replayId);
                    }
                    callback(message);
                }
            });
            return { faye };
        });
    }
    return clientPromise;
}

/** Subscribes to a channel; onMessage receives { channel, data }. */
export async function subscribe(channel, replayId, onMessage) {
    const { faye } = await client();
    replayFrom.set(channel, Number(replayId === undefined || replayId === null ? -1 : replayId));
    const subscription = faye.subscribe(channel, (data) => onMessage({ channel, data }));
    await new Promise((resolve, reject) => {
        subscription.then(resolve, (error) => reject(error));
    });
    return { id: nextId++, channel, replayId, fayeSubscription: subscription };
}

/** Ends a subscription made by subscribe(); the callback receives { successful, channel }. */
export async function unsubscribe(subscription, callback) {
    const successful = !!(subscription && subscription.fayeSubscription);
    if (successful) {
        subscription.fayeSubscription.cancel();
    }
    const response = { successful, channel: subscription ? subscription.channel : undefined };
    if (typeof callback === 'function') {
        callback(response);
    }
    return response.successful;
}

/** Registers a listener for streaming errors (refused handshake, connect or subscribe). */
export function onError(callback) {
    if (typeof callback === 'function') {
        errorListeners.add(callback);
    }
}

/** Logs streaming errors to the console when true. */
export function setDebugFlag(flag) {
    debug = !!flag;
}

/** Streaming is available to every preview user. */
export function isEmpEnabled() {
    return Promise.resolve(true);
}
