/**
 * Test double for lightning/empApi that keeps the subscriptions, so a test can publish a
 * platform event message to a channel: publish('/event/Engine_Signal__e', { Kind__c: 'X' }).
 */
const subscriptions = new Map();
let nextId = 1;

export const subscribe = jest.fn((channel, replayId, onMessage) => {
    const subscription = { id: nextId++, channel, replayId };
    subscriptions.set(subscription.id, { subscription, onMessage });
    return Promise.resolve(subscription);
});

export const unsubscribe = jest.fn((subscription, callback) => {
    subscriptions.delete(subscription && subscription.id);
    if (callback) {
        callback({ successful: true });
    }
    return Promise.resolve({ successful: true });
});

export const onError = jest.fn();
export const setDebugFlag = jest.fn(() => Promise.resolve());
export const isEmpEnabled = jest.fn(() => Promise.resolve(true));

/** Delivers one event message (shaped as CometD delivers it) to every subscriber of channel. */
export function publish(channel, payload, replayId = 1) {
    for (const { subscription, onMessage } of subscriptions.values()) {
        if (subscription.channel === channel) {
            onMessage({ channel, data: { event: { replayId }, payload } });
        }
    }
}

/** Forgets every subscription; for afterEach. */
export function resetSubscriptions() {
    subscriptions.clear();
}
