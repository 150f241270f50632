import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatClock,
    formatDuration,
    formatLabel,
    formatMoney,
    formatNumber,
    formatPercent,
    isTruncated,
    isTypingTarget,
    listenToSignals,
    onSignalKinds,
    parseJsonObject,
    reduceErrors,
    refreshWired,
    splitList,
    subscribeToSignals,
    toMillis,
    unsubscribeFromSignals
} from 'c/aslUtils';
import { publish, resetSubscriptions, subscribe, unsubscribe } from 'lightning/empApi';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('c-asl-utils', () => {
    afterEach(() => {
        jest.clearAllMocks();
        resetSubscriptions();
    });

    describe('reduceErrors', () => {
        it('reads UI API record errors with field errors', () => {
            const error = {
                body: {
                    message: 'An error occurred while trying to update the record.',
                    output: {
                        errors: [{ message: 'Record is locked' }],
                        fieldErrors: {
                            Outcome__c: [{ message: 'bad value for restricted picklist field' }]
                        }
                    }
                }
            };
            expect(reduceErrors(error)).toEqual([
                'Record is locked',
                'bad value for restricted picklist field'
            ]);
        });

        it('reads GraphQL errors, body arrays, body messages, script errors and strings', () => {
            expect(
                reduceErrors([
                    { message: 'Field X is undefined' },
                    { body: [{ message: 'first' }, { message: 'second' }] },
                    { body: { message: 'Insufficient access' } },
                    new TypeError('boom'),
                    'plain',
                    null
                ])
            ).toEqual([
                'Field X is undefined',
                'first',
                'second',
                'Insufficient access',
                'boom',
                'plain'
            ]);
        });
    });

    describe('formatting', () => {
        it('formats durations at the precision people need', () => {
            expect(formatDuration(45 * 1000)).toBe('45s');
            expect(formatDuration(12 * MINUTE + 30 * 1000)).toBe('12m 30s');
            expect(formatDuration(3 * HOUR + 5 * MINUTE)).toBe('3h 05m');
            expect(formatDuration(2 * DAY + 4 * HOUR + 59 * MINUTE)).toBe('2d 4h');
            expect(formatDuration(-5)).toBe('0s');
            expect(formatDuration(null)).toBe('');
        });

        it('formats a running clock', () => {
            expect(formatClock(0)).toBe('00:00');
            expect(formatClock(247)).toBe('04:07');
            expect(formatClock(3847)).toBe('1:04:07');
        });

        it('formats money in whole units and leaves blanks blank', () => {
            expect(formatMoney(1250000.4, 'USD', 'en-US')).toBe('$1,250,000');
            expect(formatMoney(980, 'EUR', 'en-US')).toBe('€980');
            expect(formatMoney(null)).toBe('');
            expect(formatMoney('')).toBe('');
        });

        it('formats percent fields, numbers and labels', () => {
            expect(formatPercent(12.345)).toBe('12.3%');
            expect(formatPercent(80)).toBe('80.0%');
            expect(formatPercent(null)).toBe('');
            expect(formatNumber(3.14159, 1)).toBe('3.1');
            expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('');
            expect(formatLabel('{0} of {1}, {0}', 'a', 2)).toBe('a of 2, a');
            expect(formatLabel('{0} and {1}', 'a')).toBe('a and {1}');
        });
    });

    describe('reading GraphQL results', () => {
        const node = {
            Id: '00Q1',
            Name: { value: 'Ada' },
            Bin__c: { value: 'Cold', displayValue: 'Kalt' },
            Lead__r: { Name: { value: 'Grace' } },
            Empty__r: null
        };

        it('reads values and display values by path', () => {
            expect(fieldValue(node, 'Name')).toBe('Ada');
            expect(fieldValue(node, 'Lead__r.Name')).toBe('Grace');
            expect(fieldValue(node, 'Empty__r.Name')).toBeNull();
            expect(fieldValue(node, 'Missing__c')).toBeNull();
            expect(fieldDisplay(node, 'Bin__c')).toBe('Kalt');
            expect(fieldDisplay(node, 'Name')).toBe('Ada');
        });

        it('lists connection nodes and tells when a page was capped', () => {
            const connection = {
                edges: [{ node: { Id: '1' } }, { node: { Id: '2' } }],
                pageInfo: { hasNextPage: true }
            };
            expect(connectionNodes(connection).map((n) => n.Id)).toEqual(['1', '2']);
            expect(connectionNodes(undefined)).toEqual([]);
            expect(isTruncated(connection)).toBe(true);
            expect(isTruncated({ edges: [] })).toBe(false);
        });

        it('splits semicolon lists and parses dates', () => {
            expect(splitList(' No Answer; Left Voicemail ;;')).toEqual([
                'No Answer',
                'Left Voicemail'
            ]);
            expect(splitList(null)).toEqual([]);
            expect(toMillis('2026-11-23T14:00:00.000Z')).toBe(Date.UTC(2026, 10, 23, 14));
            expect(toMillis('not a date')).toBeNull();
            expect(toMillis(null)).toBeNull();
        });
    });

    describe('keyboard', () => {
        it('knows when a key press comes from a text field', () => {
            const input = document.createElement('input');
            const div = document.createElement('div');
            expect(isTypingTarget({ target: input })).toBe(true);
            expect(isTypingTarget({ target: div })).toBe(false);
            expect(
                isTypingTarget({
                    composedPath: () => [document.createElement('textarea'), div],
                    target: div
                })
            ).toBe(true);
        });
    });

    describe('createRefresher', () => {
        it('runs once at a time and folds a burst of requests into one more run', async () => {
            let release;
            const run = jest
                .fn()
                .mockImplementationOnce(
                    () =>
                        new Promise((resolve) => {
                            release = resolve;
                        })
                )
                .mockResolvedValue(undefined);
            const request = createRefresher(run);

            const first = request();
            request();
            request();
            expect(run).toHaveBeenCalledTimes(1);
            release();
            await first;
            expect(run).toHaveBeenCalledTimes(2);

            await request();
            expect(run).toHaveBeenCalledTimes(3);
        });
    });

    describe('engine signals', () => {
        it('subscribes to Engine_Signal__e and hands over kind, record and payload', async () => {
            const onSignal = jest.fn();
            const subscription = await subscribeToSignals(onSignal);
            expect(subscribe).toHaveBeenCalledWith(
                '/event/Engine_Signal__e',
                -1,
                expect.any(Function)
            );

            publish('/event/Engine_Signal__e', {
                Kind__c: 'RERANKED',
                Record_Id__c: '005x',
                Payload__c: '{}'
            });
            expect(onSignal).toHaveBeenCalledWith({
                kind: 'RERANKED',
                recordId: '005x',
                payload: '{}'
            });

            unsubscribeFromSignals(subscription);
            expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
            unsubscribeFromSignals(null);
            expect(unsubscribe).toHaveBeenCalledTimes(1);
        });

        it('resolves to null when streaming is unavailable', async () => {
            subscribe.mockImplementationOnce(() =>
                Promise.reject(new Error('No streaming in this context'))
            );
            await expect(subscribeToSignals(jest.fn())).resolves.toBeNull();
        });

        it('listens until stopped, then delivers no more signals', async () => {
            const onSignal = jest.fn();
            const handle = listenToSignals(onSignal);
            const subscription = await handle.ready;

            publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN' });
            expect(onSignal).toHaveBeenCalledTimes(1);

            handle.stop();
            expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
            publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN' });
            expect(onSignal).toHaveBeenCalledTimes(1);

            handle.stop();
            expect(unsubscribe).toHaveBeenCalledTimes(1);
        });

        it('ends a subscription that resolves after the console was already removed', async () => {
            const onSignal = jest.fn();
            const handle = listenToSignals(onSignal);
            handle.stop();
            expect(unsubscribe).not.toHaveBeenCalled();

            await expect(handle.ready).resolves.toBeNull();
            expect(unsubscribe).toHaveBeenCalledTimes(1);
            publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN' });
            expect(onSignal).not.toHaveBeenCalled();
        });

        it('stops quietly when streaming is unavailable', async () => {
            subscribe.mockImplementationOnce(() => Promise.reject(new Error('No streaming')));
            const handle = listenToSignals(jest.fn());
            await expect(handle.ready).resolves.toBeNull();
            handle.stop();
            expect(unsubscribe).not.toHaveBeenCalled();
        });

        it('passes on only the signal kinds asked for', () => {
            const refresh = jest.fn();
            const handler = onSignalKinds(new Set(['JOB_RUN', 'FORECAST']), refresh);
            handler({ kind: 'RERANKED', recordId: '', payload: '' });
            expect(refresh).not.toHaveBeenCalled();
            const signal = { kind: 'FORECAST', recordId: 'a01', payload: '' };
            handler(signal);
            expect(refresh).toHaveBeenCalledWith(signal);

            const fromList = jest.fn();
            onSignalKinds(['MOVED'], fromList)({ kind: 'MOVED' });
            expect(fromList).toHaveBeenCalledTimes(1);
        });
    });

    describe('parseJsonObject', () => {
        it('reads a JSON object', () => {
            expect(parseJsonObject('{"costs":{"email":120},"periodDays":90}')).toEqual({
                costs: { email: 120 },
                periodDays: 90
            });
        });

        it('gives null for empty, unreadable and non-object text', () => {
            expect(parseJsonObject('')).toBeNull();
            expect(parseJsonObject(null)).toBeNull();
            expect(parseJsonObject('{not json')).toBeNull();
            expect(parseJsonObject('[1,2]')).toBeNull();
            expect(parseJsonObject('42')).toBeNull();
            expect(parseJsonObject('"text"')).toBeNull();
            expect(parseJsonObject('null')).toBeNull();
        });
    });

    describe('refreshWired', () => {
        it('refreshes every delivered result of an object and waits for all', async () => {
            let release;
            const slow = { refresh: jest.fn(() => new Promise((resolve) => (release = resolve))) };
            const fast = { refresh: jest.fn(() => Promise.resolve()) };
            let done = false;
            const refreshing = refreshWired({ slow, fast, notYet: undefined, plain: {} }).then(
                () => {
                    done = true;
                }
            );
            expect(slow.refresh).toHaveBeenCalledTimes(1);
            expect(fast.refresh).toHaveBeenCalledTimes(1);
            await Promise.resolve();
            expect(done).toBe(false);
            release();
            await refreshing;
            expect(done).toBe(true);
        });

        it('takes a list, skips gaps and resolves for nothing to refresh', async () => {
            const one = { refresh: jest.fn(() => Promise.resolve('ignored')) };
            await expect(refreshWired([null, one, undefined])).resolves.toBeUndefined();
            expect(one.refresh).toHaveBeenCalledTimes(1);
            await expect(refreshWired([])).resolves.toBeUndefined();
            await expect(refreshWired(null)).resolves.toBeUndefined();
        });

        it('rejects when a refresh fails, so the caller can show the error', async () => {
            const failing = { refresh: () => Promise.reject(new Error('offline')) };
            await expect(refreshWired([failing])).rejects.toThrow('offline');
        });
    });
});
