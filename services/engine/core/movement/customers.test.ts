import { customerMoves, isCustomer, type AccountState } from './customers';

const account = (overrides: Partial<AccountState>): AccountState => ({ id: '001000000000000001', type: 'Prospect', hasWonOpportunity: false, bin: 'Working', station: null, ...overrides });
const POST_SALE = new Set(['ONBOARDING', 'SERVICE']);

describe('accounts that become customers', () => {
  it('knows a customer by the standard Type values or a won opportunity', () => {
    expect(isCustomer({ type: 'Customer - Direct', hasWonOpportunity: false })).toBe(true);
    expect(isCustomer({ type: 'Customer - Channel', hasWonOpportunity: false })).toBe(true);
    expect(isCustomer({ type: 'Prospect', hasWonOpportunity: true })).toBe(true);
    expect(isCustomer({ type: 'Prospect', hasWonOpportunity: false })).toBe(false);
    expect(isCustomer({ type: null, hasWonOpportunity: false })).toBe(false);
  });

  it('moves them to Avoid - Current Client, off sales stations, keeping post-sale ones', () => {
    const moves = customerMoves(
      [
        account({ id: 'a1', type: 'Customer - Direct', station: 'SDR_UPSELL', bin: 'Working' }),
        account({ id: 'a2', hasWonOpportunity: true, station: 'ONBOARDING', bin: 'Nurture - Active Opportunity' }),
        account({ id: 'a3', type: 'Prospect', station: 'SDR_UPSELL' })
      ],
      POST_SALE
    );
    expect(moves).toEqual([
      { accountId: 'a1', from: { station: 'SDR_UPSELL', bin: 'Working' }, to: { station: null, bin: 'Avoid - Current Client' }, why: 'Type Customer - Direct: a current client' },
      { accountId: 'a2', from: { station: 'ONBOARDING', bin: 'Nurture - Active Opportunity' }, to: { station: 'ONBOARDING', bin: 'Avoid - Current Client' }, why: 'a won opportunity: a current client' }
    ]);
  });

  it('moves nothing already there, keeps a duplicate a duplicate, and moves a bad fit Avoid to Avoid', () => {
    expect(customerMoves([account({ type: 'Customer - Direct', bin: 'Avoid - Current Client' }), account({ type: 'Customer - Direct', bin: 'Avoid - Duplicate' })], POST_SALE)).toEqual([]);
    expect(customerMoves([account({ type: 'Customer - Direct', bin: 'Avoid - Bad Fit' })], POST_SALE).map((m) => m.to)).toEqual([{ station: null, bin: 'Avoid - Current Client' }]);
  });
});
