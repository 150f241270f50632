/**
 * Record reads for lightning/uiRecordApi: field paths checked against the org's describe
 * (REST), values read with the org's UI API GraphQL (so display values are the org's, in the
 * user's time zone), answered in the shape of a UI API record representation.
 */
import { dataPath, orgRequest, restErrorMessages } from './session';

const describes = new Map();
let globalDescribe = null;

/** Thrown with the LDS error shape: { ok: false, status, statusText, body: [{ errorCode, message }] }. */
export function fetchError(status, statusText, errors) {
    return { ok: false, status, statusText, body: errors };
}

function restFailure(result) {
    const errors = Array.isArray(result.body)
        ? result.body.map((error) => ({ errorCode: error.errorCode, message: error.message }))
        : restErrorMessages(result).map((message) => ({ errorCode: 'UNKNOWN', message }));
    return fetchError(result.status, result.statusText, errors);
}

/** The describe of an object (GET /sobjects/{name}/describe), read once per page. */
export function describe(objectApiName) {
    if (!describes.has(objectApiName)) {
        const pending = orgRequest(
            'GET',
            dataPath(`/sobjects/${encodeURIComponent(objectApiName)}/describe`)
        ).then((result) => {
            if (!result.ok) {
                throw restFailure(result);
            }
            return result.body;
        });
        pending.catch(() => describes.delete(objectApiName));
        describes.set(objectApiName, pending);
    }
    return describes.get(objectApiName);
}

/** The object API name of a record Id, by its key prefix (GET /sobjects). */
export async function objectOfId(recordId) {
    if (!globalDescribe) {
        globalDescribe = orgRequest('GET', dataPath('/sobjects')).then((result) => {
            if (!result.ok) {
                globalDescribe = null;
                throw restFailure(result);
            }
            return result.body.sobjects;
        });
    }
    const prefix = String(recordId || '').slice(0, 3);
    const object = (await globalDescribe).find((candidate) => candidate.keyPrefix === prefix);
    if (!object) {
        throw fetchError(404, 'Not Found', [
            { errorCode: 'NOT_FOUND', message: `No object has records with Id ${recordId}.` }
        ]);
    }
    return object.name;
}

/** Splits 'Lead.Station__r.Name' or { objectApiName, fieldApiName } into [object, ...path]. */
export function splitField(field) {
    if (field && typeof field === 'object') {
        return [field.objectApiName, ...String(field.fieldApiName).split('.')];
    }
    return String(field).split('.');
}

/**
 * Resolves field paths of one object into a selection tree: { Name: true, Station__r: {
 * object: 'Station__c', fields: { Name: true } } }. Unknown required fields reject with
 * INVALID_FIELD; unknown optional ones are left out, as UI API does.
 */
async function selectionTree(objectApiName, required, optional) {
    const tree = {};
    const add = async (pathParts, isRequired) => {
        let node = tree;
        let object = objectApiName;
        for (let index = 0; index < pathParts.length; index += 1) {
            const part = pathParts[index];
            // eslint-disable-next-line no-await-in-loop
            const info = await describe(object);
            const last = index === pathParts.length - 1;
            const field = last
                ? info.fields.find((candidate) => candidate.name === part)
                : info.fields.find((candidate) => candidate.relationshipName === part);
            const target = field && !last ? field.referenceTo[0] : null;
            if (!field || (!last && !target)) {
                if (isRequired) {
                    throw fetchError(400, 'Bad Request', [
                        {
                            errorCode: 'INVALID_FIELD',
                            message: `No such column '${pathParts.slice(index).join('.')}' on entity '${object}'.`
                        }
                    ]);
                }
                return;
            }
            if (last) {
                node[part] = true;
            } else {
                node[part] =
                    node[part] && node[part] !== true ? node[part] : { object: target, fields: {} };
                node = node[part].fields;
                object = target;
            }
        }
    };
    for (const field of required) {
        // eslint-disable-next-line no-await-in-loop
        await add(relativePath(objectApiName, field), true);
    }
    for (const field of optional) {
        // eslint-disable-next-line no-await-in-loop
        await add(relativePath(objectApiName, field), false);
    }
    return tree;
}

function relativePath(objectApiName, field) {
    const [object, ...rest] = splitField(field);
    if (object !== objectApiName || rest.length === 0) {
        throw fetchError(400, 'Bad Request', [
            {
                errorCode: 'INVALID_FIELD',
                message: `Field ${splitField(field).join('.')} does not belong to ${objectApiName}: name fields as ${objectApiName}.FieldName.`
            }
        ]);
    }
    return rest;
}

const SYSTEM_FIELDS = ['LastModifiedById', 'LastModifiedDate', 'SystemModstamp'];

function selectionText(tree) {
    return Object.entries(tree)
        .map(([name, child]) => {
            return child === true
                ? `${name} { value displayValue }`
                : `${name} { Id ApiName DisplayValue ${selectionText(child.fields)} }`;
        })
        .join(' ');
}

/**
 * Reads one record as a UI API record representation, or rejects with an LDS-shaped error
 * (404 NOT_FOUND when the record does not exist or the user may not see it).
 */
export async function readRecord(recordId, objectApiName, required, optional) {
    const object = objectApiName || (await objectOfId(recordId));
    const info = await describe(object);
    const tree = await selectionTree(object, required, optional);
    for (const name of SYSTEM_FIELDS) {
        if (!tree[name] && info.fields.some((field) => field.name === name)) {
            tree[name] = true;
        }
    }
    const query = `query uiRecordApiGetRecord($id: ID) { uiapi { query { ${object}(where: { Id: { eq: $id } }, first: 1) { edges { node { Id ApiName WeakEtag ${selectionText(tree)} } } } } } }`;
    const result = await orgRequest('POST', dataPath('/graphql'), {
        query,
        variables: { id: recordId }
    });
    if (!result.ok) {
        throw restFailure(result);
    }
    if (result.body.errors && result.body.errors.length) {
        throw fetchError(
            400,
            'Bad Request',
            result.body.errors.map((error) => ({
                errorCode: 'INVALID_QUERY',
                message: error.message
            }))
        );
    }
    const edge = result.body.data.uiapi.query[object].edges[0];
    if (!edge) {
        throw fetchError(404, 'Not Found', [
            { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
        ]);
    }
    return representation(edge.node, object, tree);
}

function representation(node, apiName, tree) {
    const fields = {};
    for (const [name, child] of Object.entries(tree)) {
        const value = node[name];
        if (child === true) {
            fields[name] = value
                ? { value: value.value, displayValue: value.displayValue }
                : { value: null, displayValue: null };
        } else {
            fields[name] = value
                ? {
                      value: representation(value, child.object, child.fields),
                      displayValue: value.DisplayValue
                  }
                : { value: null, displayValue: null };
        }
    }
    const system = (name) => (fields[name] ? fields[name].value : null);
    return {
        apiName,
        childRelationships: {},
        eTag: String(node.WeakEtag),
        fields,
        id: node.Id,
        lastModifiedById: system('LastModifiedById'),
        lastModifiedDate: system('LastModifiedDate'),
        recordTypeId: null,
        recordTypeInfo: null,
        systemModstamp: system('SystemModstamp'),
        weakEtag: node.WeakEtag
    };
}

/**
 * The error LDS gives for a failed record write: { body: { message, output: { errors,
 * fieldErrors } } }, built from the REST API's [{ message, errorCode, fields }].
 */
export function recordWriteError(result) {
    const restErrors = Array.isArray(result.body)
        ? result.body
        : restErrorMessages(result).map((message) => ({
              message,
              errorCode: 'UNKNOWN',
              fields: []
          }));
    const errors = [];
    const fieldErrors = {};
    for (const error of restErrors) {
        const fields = Array.isArray(error.fields) ? error.fields : [];
        if (!fields.length) {
            errors.push({
                errorCode: error.errorCode,
                message: error.message,
                constituentField: null,
                duplicateRecordError: null,
                field: null,
                fieldLabel: null
            });
        }
        for (const field of fields) {
            (fieldErrors[field] = fieldErrors[field] || []).push({
                errorCode: error.errorCode,
                message: error.message,
                constituentField: null,
                field,
                fieldLabel: field
            });
        }
    }
    const first = restErrors[0] || {};
    return {
        ok: false,
        status: result.status,
        statusText: result.statusText,
        body: {
            message: first.message || `HTTP ${result.status}`,
            statusCode: result.status,
            errorCode: first.errorCode,
            enhancedErrorType: 'RecordError',
            output: { errors, fieldErrors }
        }
    };
}
