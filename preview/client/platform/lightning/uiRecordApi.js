/**
 * lightning/uiRecordApi for the preview: the getRecord wire adapter, record writes through the
 * org's sObject REST API, and the field helpers, with Lightning Data Service's shapes
 * (LWC Developer Guide, "lightning/uiRecordApi"):
 * - getRecord emits { data, error }: data is a record representation ({ apiName, id, fields:
 *   { Name: { value, displayValue } }, ... }); `fields` must exist, `optionalFields` that do
 *   not exist (or that the user may not see) are left out; nothing is requested while a config
 *   value is undefined;
 * - createRecord / updateRecord resolve to the saved record's representation and reject with
 *   { body: { message, output: { errors, fieldErrors } } };
 * - a write re-emits every getRecord wire of that record, as LDS's cache does.
 */
import { dataPath, orgRequest } from '../session';
import { objectOfId, readRecord, recordWriteError, splitField } from '../records';
import { deepFreeze } from '../readOnly';

/** Live getRecord wires, so a write can refresh the ones showing the written record. */
const recordWires = new Set();

export class getRecord {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.config = undefined;
        this.configKey = null;
        this.connected = false;
        this.generation = 0;
        this.dataCallback({ data: undefined, error: undefined });
    }

    update(config) {
        const key = JSON.stringify(config || null);
        if (key === this.configKey) {
            return;
        }
        this.config = config;
        this.configKey = key;
        if (this.connected) {
            this.load();
        }
    }

    connect() {
        this.connected = true;
        recordWires.add(this);
        if (this.config) {
            this.load();
        }
    }

    disconnect() {
        this.connected = false;
        this.generation += 1;
        recordWires.delete(this);
    }

    get recordId() {
        return this.config ? this.config.recordId : undefined;
    }

    async load() {
        const config = this.config;
        if (
            !config ||
            !this.connected ||
            Object.keys(config).some((key) => config[key] === undefined)
        ) {
            return;
        }
        const generation = ++this.generation;
        let value;
        try {
            const data = await readRecord(
                config.recordId,
                objectFrom(config),
                toList(config.fields),
                toList(config.optionalFields)
            );
            value = { data: deepFreeze(data), error: undefined };
        } catch (error) {
            value = { data: undefined, error: deepFreeze(normalize(error)) };
        }
        if (generation === this.generation && this.connected) {
            this.dataCallback(value);
        }
    }
}

/** Creates a record: recordInput { apiName, fields }. Resolves to its record representation. */
export async function createRecord(recordInput) {
    const { apiName, fields } = recordInput || {};
    const result = await orgRequest(
        'POST',
        dataPath(`/sobjects/${encodeURIComponent(apiName)}`),
        fields || {}
    );
    if (!result.ok) {
        throw recordWriteError(result);
    }
    const id = result.body.id;
    notifyWires(id);
    return readWritten(id, apiName, fields);
}

/** Updates a record: recordInput { fields: { Id, ... } }. Resolves to its record representation. */
export async function updateRecord(recordInput) {
    const { Id: id, ...fields } = (recordInput && recordInput.fields) || {};
    if (!id) {
        throw recordWriteError({
            status: 400,
            statusText: 'Bad Request',
            body: [
                { errorCode: 'INVALID_INPUT', message: 'updateRecord needs fields.Id.', fields: [] }
            ]
        });
    }
    const apiName = recordInput.apiName || (await objectOfId(id));
    const result = await orgRequest(
        'PATCH',
        dataPath(`/sobjects/${encodeURIComponent(apiName)}/${encodeURIComponent(id)}`),
        fields
    );
    if (!result.ok) {
        throw recordWriteError(result);
    }
    notifyWires(id);
    return readWritten(id, apiName, fields);
}

/** Deletes a record by Id. */
export async function deleteRecord(recordId) {
    const apiName = await objectOfId(recordId);
    const result = await orgRequest(
        'DELETE',
        dataPath(`/sobjects/${encodeURIComponent(apiName)}/${encodeURIComponent(recordId)}`)
    );
    if (!result.ok) {
        throw recordWriteError(result);
    }
    notifyWires(recordId);
}

/** Asks every getRecord wire of these records to read them again. */
export function notifyRecordUpdateAvailable(recordIds) {
    (recordIds || []).forEach((item) => notifyWires(item && item.recordId ? item.recordId : item));
    return Promise.resolve();
}

/** A field's value in a record representation: getFieldValue(record, 'Lead.Station__r.Name'). */
export function getFieldValue(record, field) {
    const leaf = fieldLeaf(record, field);
    return leaf === undefined ? undefined : leaf.value;
}

/** A field's display value (picklist label, formatted date) in a record representation. */
export function getFieldDisplayValue(record, field) {
    const leaf = fieldLeaf(record, field);
    return leaf === undefined ? undefined : leaf.displayValue;
}

function fieldLeaf(record, field) {
    const [, ...path] = splitField(field);
    let current = record;
    for (let index = 0; index < path.length; index += 1) {
        const leaf = current && current.fields ? current.fields[path[index]] : undefined;
        if (leaf === undefined || index === path.length - 1) {
            return leaf;
        }
        current = leaf.value;
    }
    return undefined;
}

function readWritten(id, apiName, fields) {
    const names = Object.keys(fields || {}).filter((name) => name !== 'Id');
    return readRecord(
        id,
        apiName,
        [],
        names.map((name) => `${apiName}.${name}`)
    );
}

function notifyWires(recordId) {
    const id15 = String(recordId || '').slice(0, 15);
    recordWires.forEach((wire) => {
        if (String(wire.recordId || '').slice(0, 15) === id15) {
            wire.load();
        }
    });
}

function objectFrom(config) {
    const first = toList(config.fields)[0] || toList(config.optionalFields)[0];
    return first ? splitField(first)[0] : undefined;
}

function toList(value) {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

function normalize(error) {
    if (error && typeof error === 'object' && 'status' in error) {
        return error;
    }
    return {
        ok: false,
        status: 0,
        statusText: 'Network error',
        body: [
            {
                errorCode: 'NETWORK',
                message: error && error.message ? error.message : String(error)
            }
        ]
    };
}
