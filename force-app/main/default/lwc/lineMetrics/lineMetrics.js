/**
 * Line Monitor arithmetic over plain records, with time as an argument: no I/O, no clock.
 *
 * Definitions (docs/consoles.md repeats them for managers):
 * - WIP: open assets whose Station__c is the station.
 * - SLA breach: an open asset whose Station_Entered_At__c + SLA_Hours__c is before now.
 * - Throughput: completed stays (Stage_Event__c of kind Station with Exited_At__c inside the
 *   window) per day.
 * - Cycle time: the mean measured duration of those completed stays; next to it, Little's law
 *   (L = lambda x W, so W = WIP / throughput) gives the time the current WIP needs at the
 *   current pace.
 * - Bottleneck: the station whose Little's-law time is the largest multiple of its SLA;
 *   work that does not leave at all (WIP but no exits) ranks first.
 */

const MS_PER_MINUTE = 60 * 1000;
const MINUTES_PER_DAY = 24 * 60;

/**
 * Computes one row per station.
 * stations: [{ id, key, name, slaHours, targetWip }]
 * assets: [{ id, stationId, enteredAt }] (enteredAt in epoch ms or null)
 * stays: [{ station, enteredAt, exitedAt, durationMinutes }] (station: Id, Key__c or Name)
 */
export function stationMetrics({ stations, assets, stays, now, windowDays }) {
    const windowMinutes = Math.max(1, windowDays) * MINUTES_PER_DAY;
    const windowStart = now - windowMinutes * MS_PER_MINUTE;
    const resolve = stationResolver(stations);

    const rows = stations.map((station) => ({
        stationId: station.id,
        key: station.key,
        name: station.name,
        slaHours: station.slaHours,
        targetWip: station.targetWip,
        wip: 0,
        slaBreaches: 0,
        oldestMinutes: null,
        exits: 0,
        totalStayMinutes: 0
    }));
    const byId = new Map(rows.map((row) => [row.stationId, row]));

    for (const asset of assets) {
        const row = byId.get(asset.stationId);
        if (!row) {
            continue;
        }
        row.wip += 1;
        if (asset.enteredAt !== null && asset.enteredAt !== undefined) {
            const ageMinutes = (now - asset.enteredAt) / MS_PER_MINUTE;
            row.oldestMinutes = Math.max(row.oldestMinutes || 0, ageMinutes);
            if (row.slaHours > 0 && ageMinutes > row.slaHours * 60) {
                row.slaBreaches += 1;
            }
        }
    }

    for (const stay of stays) {
        const station = resolve(stay.station);
        const row = station && byId.get(station.id);
        if (!row || stay.exitedAt === null || stay.exitedAt < windowStart || stay.exitedAt > now) {
            continue;
        }
        row.exits += 1;
        row.totalStayMinutes += stayMinutes(stay);
    }

    const finished = rows.map((row) => {
        const throughputPerDay = row.exits / (windowMinutes / MINUTES_PER_DAY);
        const littleMinutes = row.exits > 0 ? (row.wip * windowMinutes) / row.exits : null;
        return {
            stationId: row.stationId,
            key: row.key,
            name: row.name,
            slaHours: row.slaHours,
            targetWip: row.targetWip,
            wip: row.wip,
            slaBreaches: row.slaBreaches,
            oldestMinutes: row.oldestMinutes,
            exits: row.exits,
            throughputPerDay,
            cycleMinutes: row.exits > 0 ? row.totalStayMinutes / row.exits : null,
            littleMinutes,
            pressure: pressure(row.wip, row.exits, littleMinutes, row.slaHours),
            isBottleneck: false
        };
    });

    const bottleneck = pickBottleneck(finished);
    if (bottleneck) {
        bottleneck.isBottleneck = true;
    }
    return finished;
}

/**
 * Counts assignments per rep within each stratum: the equality report.
 * assignments: [{ repId, repName, stratum }]
 * Returns { strata: [{ stratum, total, maxGap, reps: [{ repId, repName, count }] }], reps }
 * where maxGap is the largest difference in count between two reps of the stratum.
 */
export function equalityReport(assignments) {
    const strata = new Map();
    const reps = new Map();
    for (const assignment of assignments) {
        const stratum = assignment.stratum || '';
        if (!strata.has(stratum)) {
            strata.set(stratum, new Map());
        }
        const counts = strata.get(stratum);
        counts.set(assignment.repId, (counts.get(assignment.repId) || 0) + 1);
        if (!reps.has(assignment.repId)) {
            reps.set(assignment.repId, assignment.repName || assignment.repId);
        }
    }
    const repList = [...reps.entries()]
        .map(([repId, repName]) => ({ repId, repName }))
        .sort((a, b) => String(a.repName).localeCompare(String(b.repName)));
    const strataList = [...strata.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([stratum, counts]) => {
            // A rep of the report who got nothing in a stratum still counts: zero is a gap.
            const row = repList.map((rep) => ({ ...rep, count: counts.get(rep.repId) || 0 }));
            const values = row.map((cell) => cell.count);
            return {
                stratum,
                total: values.reduce((sum, value) => sum + value, 0),
                maxGap: values.length ? Math.max(...values) - Math.min(...values) : 0,
                reps: row
            };
        });
    return { strata: strataList, reps: repList };
}

function stationResolver(stations) {
    const lookup = new Map();
    for (const station of stations) {
        for (const name of [station.id, station.key, station.name]) {
            if (name) {
                lookup.set(String(name), station);
            }
        }
    }
    return (value) => {
        if (value === null || value === undefined) {
            return null;
        }
        return lookup.get(String(value)) || null;
    };
}

function stayMinutes(stay) {
    if (stay.durationMinutes !== null && stay.durationMinutes !== undefined) {
        return Number(stay.durationMinutes);
    }
    if (stay.enteredAt !== null && stay.enteredAt !== undefined) {
        return Math.max(0, (stay.exitedAt - stay.enteredAt) / MS_PER_MINUTE);
    }
    return 0;
}

function pressure(wip, exits, littleMinutes, slaHours) {
    if (wip === 0 || !(slaHours > 0)) {
        return 0;
    }
    if (exits === 0) {
        return Number.POSITIVE_INFINITY;
    }
    return littleMinutes / (slaHours * 60);
}

function pickBottleneck(rows) {
    let best = null;
    for (const row of rows) {
        if (row.pressure <= 0) {
            continue;
        }
        if (
            !best ||
            row.pressure > best.pressure ||
            (row.pressure === best.pressure && row.wip > best.wip)
        ) {
            best = row;
        }
    }
    return best;
}
