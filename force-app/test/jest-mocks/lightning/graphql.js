/**
 * Test double for lightning/graphql (the GraphQL wire adapter, v2).
 *
 * gql returns the query text (the platform returns a parsed document), so a test can send
 * data to one query of a component that wires several: graphql.emit(data, byOperation('x')).
 * Every emitted result carries `refresh`, as the platform's does; tests assert on the shared
 * refresh mock. Each wire instance starts with { data: undefined, errors: undefined }, as on
 * the platform before the first response, without re-emitting to instances that have data.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const refresh = jest.fn(() => Promise.resolve());

const configsByOperation = new Map();

export const gql = (strings, ...values) =>
    strings.reduce(
        (text, part, i) => text + part + (i < values.length ? String(values[i]) : ''),
        ''
    );

export class graphql extends createTestWireAdapter() {
    /** Emits a successful response ({ data, refresh }) to every connected wire the filter accepts. */
    static emit(data, filterFn) {
        super.emit({ data, errors: undefined, refresh }, filterFn);
    }

    /** Emits a GraphQL error response ({ errors: [{ message }], refresh }). */
    static emitErrors(errors, filterFn) {
        super.emit({ data: undefined, errors, refresh }, filterFn);
    }

    /** The config last given to the wire of the operation `name` (e.g. 'workQueueEntries'). */
    static lastConfigFor(name) {
        return configsByOperation.get(name);
    }

    constructor(dataCallback) {
        super(dataCallback);
        this.emit({ data: undefined, errors: undefined, refresh });
    }

    update(config) {
        super.update(config);
        const match = typeof config.query === 'string' && config.query.match(/query\s+(\w+)/);
        if (match) {
            configsByOperation.set(match[1], config);
        }
    }
}

/** A filter for emit(): only the wire whose query declares `query <name>`. */
export const byOperation = (name) => (config) =>
    typeof config.query === 'string' && new RegExp(`query\\s+${name}\\b`).test(config.query);
