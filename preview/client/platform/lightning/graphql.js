/**
 * lightning/graphql for the preview: `gql` and the `graphql` wire adapter over the org's UI API
 * GraphQL endpoint (POST /services/data/vXX.X/graphql).
 *
 * Behaviour kept from the platform (LWC Developer Guide, "lightning/graphql Wire Adapter (v2)",
 * "refresh"):
 * - a wire starts with { data: undefined, errors: undefined } and gets { data, errors } per
 *   response; `errors` is only set when the response has errors; every value carries `refresh`,
 *   which re-runs the current query and variables and resolves once fresh data was delivered;
 * - while a reactive config value is undefined, nothing is requested;
 * - emitted data is read-only (frozen), as Lightning Data Service's is;
 * - `query` must come from `gql`.
 * Not kept: LDS's client cache (every wire asks the org) and its normalisation across queries
 * (a record written with uiRecordApi does not re-emit a GraphQL result; components refresh).
 */
import { dataPath, orgRequest, restErrorMessages } from '../session';
import { deepFreeze } from '../readOnly';

const DOCUMENT = Symbol('gql document');

/** Tags a GraphQL query. Interpolated values are inserted as text (fragments: their source). */
export function gql(strings, ...values) {
    let source = strings[0];
    values.forEach((value, index) => {
        source += value && value[DOCUMENT] ? value.source : String(value);
        source += strings[index + 1];
    });
    return Object.freeze({ [DOCUMENT]: true, kind: 'Document', source });
}

export class graphql {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.config = undefined;
        this.configKey = null;
        this.connected = false;
        /** Bumped on each request and on disconnect, so a stale answer is dropped. */
        this.generation = 0;
        this.refresh = () => this.run();
        this.dataCallback({ data: undefined, errors: undefined, refresh: this.refresh });
    }

    update(config) {
        const key = keyOf(config);
        if (key === this.configKey) {
            return;
        }
        this.config = config;
        this.configKey = key;
        if (this.connected) {
            this.run();
        }
    }

    connect() {
        this.connected = true;
        if (this.config) {
            this.run();
        }
    }

    disconnect() {
        this.connected = false;
        this.generation += 1;
    }

    async run() {
        const config = this.config;
        if (!config || !this.connected || hasUndefined(config)) {
            return;
        }
        const generation = ++this.generation;
        const result = await execute(config);
        if (generation !== this.generation || !this.connected) {
            return;
        }
        this.dataCallback(deepFreeze({ ...result, refresh: this.refresh }));
    }
}

async function execute(config) {
    const document = config.query;
    if (!document || !document[DOCUMENT]) {
        return failed(['lightning/graphql: config.query must be a query built with gql`...`.']);
    }
    let response;
    try {
        response = await orgRequest('POST', dataPath('/graphql'), {
            query: document.source,
            variables: config.variables || {},
            ...(config.operationName ? { operationName: config.operationName } : {})
        });
    } catch (error) {
        return failed([`Network error: ${error.message}`]);
    }
    if (!response.ok) {
        return failed(restErrorMessages(response));
    }
    const { data, errors } = response.body || {};
    if (Array.isArray(errors) && errors.length) {
        return { data: data || undefined, errors };
    }
    return { data, errors: undefined };
}

function failed(messages) {
    return { data: undefined, errors: messages.map((message) => ({ message })) };
}

/** Reactive config values ('$prop') that are still undefined hold the request back. */
function hasUndefined(config) {
    return Object.keys(config).some((key) => config[key] === undefined);
}

function keyOf(config) {
    if (!config) {
        return null;
    }
    const source =
        config.query && config.query[DOCUMENT] ? config.query.source : String(config.query);
    return JSON.stringify([source, config.variables, config.operationName]);
}
