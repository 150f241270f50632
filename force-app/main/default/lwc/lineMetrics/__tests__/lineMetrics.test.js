import fc from 'fast-check';
import { equalityReport, stationMetrics } from 'c/lineMetrics';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 12);

const STATIONS = [
    { id: 'a0S1', key: 'SDR_CALL', name: 'SDR Calling', slaHours: 48, targetWip: 250 },
    { id: 'a0S2', key: 'COORDINATE', name: 'Demo Coordination', slaHours: 4, targetWip: 60 },
    { id: 'a0S3', key: 'DEMO', name: 'Demo', slaHours: 120, targetWip: 40 }
];

describe('c-line-metrics', () => {
    describe('stationMetrics', () => {
        it('counts WIP, SLA breaches and the longest wait per station', () => {
            const rows = stationMetrics({
                stations: STATIONS,
                assets: [
                    { id: 'l1', stationId: 'a0S1', enteredAt: NOW - 50 * HOUR },
                    { id: 'l2', stationId: 'a0S1', enteredAt: NOW - 2 * HOUR },
                    { id: 'l3', stationId: 'a0S2', enteredAt: NOW - 5 * HOUR },
                    { id: 'l4', stationId: 'a0S2', enteredAt: null },
                    { id: 'l5', stationId: 'unknown', enteredAt: NOW }
                ],
                stays: [],
                now: NOW,
                windowDays: 7
            });
            const [sdr, coordinate, demo] = rows;
            expect(sdr).toEqual(
                expect.objectContaining({ wip: 2, slaBreaches: 1, oldestMinutes: 50 * 60 })
            );
            expect(coordinate).toEqual(
                expect.objectContaining({ wip: 2, slaBreaches: 1, oldestMinutes: 5 * 60 })
            );
            expect(demo).toEqual(
                expect.objectContaining({ wip: 0, slaBreaches: 0, oldestMinutes: null })
            );
        });

        it('measures throughput and cycle time from stays that ended in the window', () => {
            const rows = stationMetrics({
                stations: STATIONS,
                assets: [
                    { id: 'l1', stationId: 'a0S1', enteredAt: NOW - HOUR },
                    { id: 'l2', stationId: 'a0S1', enteredAt: NOW - HOUR }
                ],
                stays: [
                    // Station named by Key__c, Id or Name: all are the same station.
                    {
                        station: 'SDR_CALL',
                        enteredAt: NOW - 3 * DAY,
                        exitedAt: NOW - 2 * DAY,
                        durationMinutes: 1440
                    },
                    {
                        station: 'a0S1',
                        enteredAt: NOW - 2 * HOUR,
                        exitedAt: NOW - HOUR,
                        durationMinutes: null
                    },
                    {
                        station: 'SDR Calling',
                        enteredAt: null,
                        exitedAt: NOW - DAY,
                        durationMinutes: 60
                    },
                    {
                        station: 'SDR_CALL',
                        enteredAt: NOW - 20 * DAY,
                        exitedAt: NOW - 8 * DAY,
                        durationMinutes: 9
                    },
                    {
                        station: 'SDR_CALL',
                        enteredAt: NOW - HOUR,
                        exitedAt: null,
                        durationMinutes: null
                    }
                ],
                now: NOW,
                windowDays: 7
            });
            const sdr = rows[0];
            expect(sdr.exits).toBe(3);
            expect(sdr.throughputPerDay).toBeCloseTo(3 / 7);
            expect(sdr.cycleMinutes).toBeCloseTo((1440 + 60 + 60) / 3);
            // Little's law: W = L / lambda = 2 assets / (3 exits per 7 days).
            expect(sdr.littleMinutes).toBeCloseTo((2 * 7 * 24 * 60) / 3);
        });

        it('marks as bottleneck the station furthest behind its SLA, and work that never leaves first', () => {
            const assets = [
                { id: 'l1', stationId: 'a0S1', enteredAt: NOW - HOUR },
                { id: 'l2', stationId: 'a0S2', enteredAt: NOW - HOUR },
                { id: 'l3', stationId: 'a0S2', enteredAt: NOW - HOUR }
            ];
            const stays = [
                {
                    station: 'SDR_CALL',
                    enteredAt: NOW - 2 * DAY,
                    exitedAt: NOW - DAY,
                    durationMinutes: 1440
                },
                {
                    station: 'COORDINATE',
                    enteredAt: NOW - 2 * DAY,
                    exitedAt: NOW - DAY,
                    durationMinutes: 1440
                }
            ];
            const rows = stationMetrics({
                stations: STATIONS,
                assets,
                stays,
                now: NOW,
                windowDays: 7
            });
            // SDR: 1 WIP, 1 exit/week -> 7 days to clear vs 48 h SLA (3.5x);
            // Coordination: 2 WIP, 1 exit/week -> 14 days vs 4 h SLA (84x).
            expect(rows.map((row) => row.isBottleneck)).toEqual([false, true, false]);
            expect(rows[1].pressure).toBeCloseTo((14 * 24) / 4);

            const stuck = stationMetrics({
                stations: STATIONS,
                assets: [...assets, { id: 'o1', stationId: 'a0S3', enteredAt: NOW - HOUR }],
                stays,
                now: NOW,
                windowDays: 7
            });
            expect(stuck.find((row) => row.isBottleneck).key).toBe('DEMO');
        });

        it('names no bottleneck when no station holds work', () => {
            const rows = stationMetrics({
                stations: STATIONS,
                assets: [],
                stays: [],
                now: NOW,
                windowDays: 7
            });
            expect(rows.some((row) => row.isBottleneck)).toBe(false);
            expect(rows[0].cycleMinutes).toBeNull();
            expect(rows[0].littleMinutes).toBeNull();
        });

        it('keeps its invariants for any line (property)', () => {
            const asset = fc.record({
                id: fc.uuid(),
                stationId: fc.constantFrom('a0S1', 'a0S2', 'a0S3', 'gone'),
                enteredAt: fc.option(fc.integer({ min: NOW - 60 * DAY, max: NOW }), { nil: null })
            });
            fc.assert(
                fc.property(fc.array(asset, { maxLength: 60 }), (assets) => {
                    const rows = stationMetrics({
                        stations: STATIONS,
                        assets,
                        stays: [],
                        now: NOW,
                        windowDays: 7
                    });
                    const known = assets.filter((a) => a.stationId !== 'gone').length;
                    expect(rows.reduce((sum, row) => sum + row.wip, 0)).toBe(known);
                    rows.forEach((row) => expect(row.slaBreaches).toBeLessThanOrEqual(row.wip));
                    expect(rows.filter((row) => row.isBottleneck).length).toBe(known > 0 ? 1 : 0);
                })
            );
        });
    });

    describe('equalityReport', () => {
        it('counts assets per rep per stratum, zeros included, with the largest gap', () => {
            const report = equalityReport([
                { repId: '005A', repName: 'Alice', stratum: 'Web|SMB' },
                { repId: '005B', repName: 'Bob', stratum: 'Web|SMB' },
                { repId: '005A', repName: 'Alice', stratum: 'Web|SMB' },
                { repId: '005B', repName: 'Bob', stratum: 'List|Enterprise' }
            ]);
            expect(report.reps.map((rep) => rep.repName)).toEqual(['Alice', 'Bob']);
            expect(report.strata).toEqual([
                {
                    stratum: 'List|Enterprise',
                    total: 1,
                    maxGap: 1,
                    reps: [
                        { repId: '005A', repName: 'Alice', count: 0 },
                        { repId: '005B', repName: 'Bob', count: 1 }
                    ]
                },
                {
                    stratum: 'Web|SMB',
                    total: 3,
                    maxGap: 1,
                    reps: [
                        { repId: '005A', repName: 'Alice', count: 2 },
                        { repId: '005B', repName: 'Bob', count: 1 }
                    ]
                }
            ]);
        });

        it('adds up to the ledger for any assignments (property)', () => {
            const assignment = fc.record({
                repId: fc.constantFrom('005A', '005B', '005C'),
                repName: fc.constant(undefined),
                stratum: fc.constantFrom('s1', 's2', '')
            });
            fc.assert(
                fc.property(fc.array(assignment, { maxLength: 80 }), (assignments) => {
                    const report = equalityReport(assignments);
                    const total = report.strata.reduce((sum, stratum) => sum + stratum.total, 0);
                    expect(total).toBe(assignments.length);
                    report.strata.forEach((stratum) => {
                        const counts = stratum.reps.map((rep) => rep.count);
                        expect(stratum.maxGap).toBe(Math.max(...counts) - Math.min(...counts));
                    });
                })
            );
        });
    });
});
