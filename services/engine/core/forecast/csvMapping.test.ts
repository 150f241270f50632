import {
  mapOpportunityRecords,
  mappingFiles,
  MAVEN_CRM_PRESET,
  type CsvMappingInput
} from './csvMapping';
import { ForecastInputError } from './types';

const mapping: CsvMappingInput = {
  columns: {
    id: 'Id',
    rep: 'Owner',
    stage: 'Stage',
    createdDate: 'Created',
    closeDate: 'Close',
    amount: 'Amount',
    product: 'Product',
    segment: 'Segment'
  },
  wonStages: ['Closed Won'],
  lostStages: ['Closed Lost'],
  dateFormat: 'MM/DD/YYYY'
};

describe('opportunity CSV mapping', () => {
  it('maps columns, stages, US dates and money', () => {
    const { history, skipped, invalid } = mapOpportunityRecords(
      [
        {
          Id: 'A',
          Owner: 'Ann',
          Stage: 'Closed Won',
          Created: '1/5/2024',
          Close: '2/20/2024',
          Amount: '$12,500.00',
          Product: 'Pro',
          Segment: 'SMB'
        },
        {
          Id: 'B',
          Owner: 'Bob',
          Stage: 'Negotiation',
          Created: '3/1/2024',
          Close: '6/30/2024',
          Amount: '',
          Product: 'Pro',
          Segment: ''
        },
        {
          Id: 'C',
          Owner: 'Bob',
          Stage: 'Closed Lost',
          Created: '3/2/2024',
          Close: '3/9/2024',
          Amount: '900',
          Product: 'Lite',
          Segment: 'SMB'
        }
      ],
      mapping
    );
    expect(skipped).toEqual([]);
    expect(invalid).toEqual([]);
    expect(history.opportunities).toEqual([
      {
        id: 'A',
        rep: 'Ann',
        team: null,
        product: 'Pro',
        source: null,
        segment: 'SMB',
        account: null,
        stage: 'Closed Won',
        amount: 12500,
        createdDate: '2024-01-05',
        closeDate: '2024-02-20',
        isClosed: true,
        isWon: true
      },
      {
        id: 'B',
        rep: 'Bob',
        team: null,
        product: 'Pro',
        source: null,
        segment: null,
        account: null,
        stage: 'Negotiation',
        amount: null,
        createdDate: '2024-03-01',
        closeDate: '2024-06-30',
        isClosed: false,
        isWon: false
      },
      {
        id: 'C',
        rep: 'Bob',
        team: null,
        product: 'Lite',
        source: null,
        segment: 'SMB',
        account: null,
        stage: 'Closed Lost',
        amount: 900,
        createdDate: '2024-03-02',
        closeDate: '2024-03-09',
        isClosed: true,
        isWon: false
      }
    ]);
  });

  it('names the row, column and value of a bad cell, and what to do', () => {
    const bad = [
      {
        Id: 'A',
        Owner: 'Ann',
        Stage: 'Closed Won',
        Created: '2024-01-05',
        Close: '2/20/2024',
        Amount: '1',
        Product: 'Pro',
        Segment: 'SMB'
      }
    ];
    expect(() => mapOpportunityRecords(bad, mapping)).toThrow(ForecastInputError);
    expect(() => mapOpportunityRecords(bad, mapping)).toThrow(
      /row 2 column "Created" "2024-01-05": expected a date as MM\/DD\/YYYY .*--skip-invalid/
    );
    const skipped = mapOpportunityRecords(bad, mapping, {}, { skipInvalid: true });
    expect(skipped.history.opportunities).toHaveLength(0);
    expect(skipped.invalid[0]).toMatchObject({ row: 2, field: 'Created' });
  });

  it('refuses a mapping that names a column the file does not have', () => {
    expect(() => mapOpportunityRecords([{ Id: 'A' }], mapping)).toThrow(/column "Owner"/);
  });

  it('reads maven-crm: engage date starts the pipeline, GTXPro is GTX Pro, teams and sectors joined', () => {
    const files = {
      'sales_teams.csv': [
        { sales_agent: 'Moses Frase', manager: 'Dustin Brinkmann', regional_office: 'Central' }
      ],
      'accounts.csv': [{ account: 'Cancity', sector: 'retail' }],
      'products.csv': [
        { product: 'GTX Pro', series: 'GTX', sales_price: '4821' },
        { product: 'MG Special', series: 'MG', sales_price: '55' }
      ]
    };
    expect(mappingFiles(MAVEN_CRM_PRESET).sort()).toEqual(Object.keys(files).sort());
    const { history, skipped } = mapOpportunityRecords(
      [
        {
          opportunity_id: '1C1I7A6R',
          sales_agent: 'Moses Frase',
          product: 'GTXPro',
          account: 'Cancity',
          deal_stage: 'Won',
          engage_date: '2016-10-20',
          close_date: '2017-03-01',
          close_value: '1054'
        },
        {
          opportunity_id: 'X',
          sales_agent: 'Moses Frase',
          product: 'MG Special',
          account: '',
          deal_stage: 'Engaging',
          engage_date: '2017-12-01',
          close_date: '',
          close_value: ''
        },
        {
          opportunity_id: 'Y',
          sales_agent: 'Moses Frase',
          product: 'MG Special',
          account: '',
          deal_stage: 'Prospecting',
          engage_date: '',
          close_date: '',
          close_value: ''
        }
      ],
      MAVEN_CRM_PRESET,
      files
    );
    expect(skipped).toEqual([{ reason: 'no engage_date: not yet in the pipeline', count: 1 }]);
    expect(history.opportunities[0]).toMatchObject({
      product: 'GTX Pro',
      team: 'Dustin Brinkmann',
      segment: 'retail',
      isWon: true,
      amount: 1054
    });
    expect(history.opportunities[1]).toMatchObject({
      isClosed: false,
      amount: null,
      closeDate: null
    });
    expect(history.listPrices).toEqual({ 'GTX Pro': 4821, 'MG Special': 55 });
  });
});
