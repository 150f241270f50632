/**
 * Freezes a value and everything in it: Lightning Data Service hands components read-only
 * data, so a console that mutates wire data fails in the preview as it would on Salesforce.
 */
export function deepFreeze(value) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}
