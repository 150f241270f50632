import { makeStation } from '../../core/assignment/testing';
import { transitionKey } from '../../core/flow';
import { stageEventCounts } from './assignRun';

// The stage-timer flows write the station's Name into To_Value__c / From_Value__c
// (docs/data-model.md, Stage_Event__c): the counts must land on station keys.
const SDR = makeStation({ key: 'SDR_CALL', name: 'SDR Call', order: 10 });
const COORD = makeStation({ key: 'COORDINATE', name: 'Demo Coordination', order: 20 });

describe('stage event counts of the floor read', () => {
  it('maps station names to keys for WIP and moves, and counts lead WIP only from Lead', () => {
    const { wipAt, transitions } = stageEventCounts(
      [
        { station: 'SDR Call', came: null, type: 'Lead', visits: 50, closed: 40 },
        { station: 'Demo Coordination', came: 'SDR Call', type: 'Lead', visits: 8, closed: 3 },
        { station: 'Demo Coordination', came: 'SDR Call', type: 'Account', visits: 2, closed: 0 },
        // An older row that holds the key still counts for the same station.
        { station: 'COORDINATE', came: 'SDR_CALL', type: 'Opportunity', visits: 1, closed: 1 }
      ],
      [SDR, COORD],
      90
    );
    expect(wipAt).toEqual({ COORDINATE: 2 });
    expect(transitions.exits.get('SDR_CALL')).toBe(40);
    expect(transitions.exits.get('COORDINATE')).toBe(4);
    expect(transitions.moves.get(transitionKey('SDR_CALL', 'COORDINATE'))).toBe(11);
    expect(transitions.windowHours).toBe(2160);
  });
});
