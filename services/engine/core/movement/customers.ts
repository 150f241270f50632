import type { Bin } from './rules';

/**
 * Accounts that have become customers leave the sales line for Avoid - Current Client
 * (docs/assignment.md, "Movement"): nobody prospects a current client again. An account is
 * a customer when its standard Type says so ("Customer - Direct", "Customer - Channel" in the
 * standard Account Type picklist) or when it has a won opportunity. Post-sale stations
 * (onboarding, service) keep working it; a sales station lets it go.
 */
export interface AccountState {
  id: string;
  type: string | null;
  hasWonOpportunity: boolean;
  bin: Bin | null;
  /** Station key, or null. */
  station: string | null;
}

export interface CustomerMove {
  accountId: string;
  from: { station: string | null; bin: Bin | null };
  to: { station: string | null; bin: Bin };
  why: string;
}

const CURRENT_CLIENT: Bin = 'Avoid - Current Client';

export function isCustomer(account: Pick<AccountState, 'type' | 'hasWonOpportunity'>): boolean {
  return account.hasWonOpportunity || (account.type ?? '').trim().toLowerCase().startsWith('customer');
}

/**
 * The moves for accounts that are customers but not yet in Avoid - Current Client. A duplicate
 * stays in Avoid - Duplicate (the customer is its original); a bad fit that became a customer
 * moves, Avoid to Avoid, as a disposition would move it (an Avoid bin never re-enters a queue
 * or a non-Avoid bin). `postSale` names the stations that serve customers (their role is
 * Onboarding or Service).
 */
export function customerMoves(accounts: readonly AccountState[], postSale: ReadonlySet<string>): CustomerMove[] {
  const moves: CustomerMove[] = [];
  for (const account of accounts) {
    if (!isCustomer(account) || account.bin === CURRENT_CLIENT) continue;
    if (account.bin === 'Avoid - Duplicate') continue;
    const station = account.station !== null && postSale.has(account.station) ? account.station : null;
    moves.push({
      accountId: account.id,
      from: { station: account.station, bin: account.bin },
      to: { station, bin: CURRENT_CLIENT },
      why: account.hasWonOpportunity ? 'a won opportunity: a current client' : `Type ${account.type}: a current client`
    });
  }
  return moves;
}
