/**
 * Reading the engine's answer to a Demo_Request__c (Result__c, JSON; docs/calendar.md). The
 * console applies the answer as given: the ranking, the slot keys, the records to insert and
 * the next best slot all come from the engine's calendar core, never from here.
 */

/** The answer format this console reads (DemoRequestAnswer.version in the engine). */
export const ANSWER_VERSION = 1;

/** Salesforce's error code for a value a unique field already holds (the slot is taken). */
export const DUPLICATE_VALUE = 'DUPLICATE_VALUE';

/** Parses Result__c; returns { answer } or { error } when it is not the engine's answer. */
export function parseAnswer(text) {
    let answer;
    try {
        answer = JSON.parse(text);
    } catch {
        return { error: 'unreadable' };
    }
    if (
        !answer ||
        answer.version !== ANSWER_VERSION ||
        !Array.isArray(answer.slots) ||
        !Array.isArray(answer.owners)
    ) {
        return { error: 'unreadable' };
    }
    // Each slot carries the slot to offer if it is taken, from this same answer: a conflict
    // met after the listing was read again still offers what the engine named for it.
    const byKey = new Map(answer.slots.map((slot) => [slot.key, slot]));
    for (const slot of answer.slots) {
        slot.nextSlot = byKey.get(slot.next) || null;
    }
    return { answer };
}

/** The slot of the answer with this key, or null. */
export function slotByKey(answer, key) {
    if (!answer || !key) {
        return null;
    }
    return answer.slots.find((slot) => slot.key === key) || null;
}

/** The name of a user the answer names, else the id. */
export function personName(answer, userId) {
    if (!userId) {
        return '';
    }
    return (answer && answer.people && answer.people[userId]) || userId;
}

/** True when an LDS write error says a unique value is taken (DUPLICATE_VALUE). */
export function isDuplicateValue(error) {
    const body = error && error.body;
    if (!body) {
        return false;
    }
    if (body.errorCode === DUPLICATE_VALUE) {
        return true;
    }
    const output = body.output || {};
    const errors = [...(output.errors || []), ...Object.values(output.fieldErrors || {}).flat()];
    if (Array.isArray(body)) {
        errors.push(...body);
    }
    return errors.some((item) => item && item.errorCode === DUPLICATE_VALUE);
}
