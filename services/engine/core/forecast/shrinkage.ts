/**
 * Empirical Bayes shrinkage: a small bucket borrows strength from its parent, as much as the
 * spread between buckets of its level says it should. The prior strength of a level is
 * estimated by the method of moments from all the buckets of that level (Kleinman 1973 for
 * the beta-binomial; the same moments for the gamma-Poisson), so nothing is tuned by hand and
 * a bucket with no data is its parent, never a raw 0/0.
 */

/** Prior strength that means "no spread between children: use the parent". */
export const FULL_POOLING = 1e12;

export interface BinomialChild {
  /** Successes (may be decay-weighted, so not necessarily whole). */
  k: number;
  /** Trials. */
  n: number;
  /** The parent's (already shrunk) rate, the child's prior mean. */
  parent: number;
}

/**
 * Prior sample size M of a Beta(M p, M (1-p)) prior around each child's parent rate, from
 * Pearson's statistic (a DerSimonian-Laird moment estimator): with rho = 1/(M+1),
 * E[n (r - p)^2 / (p (1-p))] = 1 + rho (n - 1), so rho = (Q - k) / sum (n - 1). Trials may be
 * decay-weighted; pass effective counts ((sum w)^2 / sum w^2) so the noise term is right.
 */
export function betaBinomialStrength(children: readonly BinomialChild[]): number {
  let q = 0;
  let k = 0;
  let spread = 0;
  for (const c of children) {
    if (!(c.n > 1 + 1e-6) || !(c.parent > 0 && c.parent < 1)) continue;
    const r = c.k / c.n;
    q += (c.n * (r - c.parent) * (r - c.parent)) / (c.parent * (1 - c.parent));
    k += 1;
    spread += c.n - 1;
  }
  if (k < 2 || spread <= 0) return FULL_POOLING;
  const rho = (q - k) / spread;
  if (rho <= 1e-9) return FULL_POOLING;
  return Math.min(FULL_POOLING, 1 / Math.min(rho, 0.999) - 1);
}

/** Posterior mean rate of a child: (k + M p) / (n + M). With n = 0 it is the parent. */
export function shrinkRate(k: number, n: number, parent: number, strength: number): number {
  if (strength >= FULL_POOLING) return parent;
  return (k + strength * parent) / (n + strength);
}

export interface PoissonChild {
  events: number;
  exposure: number;
  /** The parent's (shrunk) rate per unit of exposure. */
  parent: number;
}

/**
 * Squared coefficient of variation cv2 of child rates around their parent (rate = parent *
 * theta, Var theta = cv2), from Pearson's statistic Q = sum (Y - e)^2 / e with e = E p the
 * expected events: E[Q] = k + cv2 sum e (a DerSimonian-Laird moment estimator). 0 means the
 * children do not differ beyond Poisson noise.
 */
export function gammaPoissonSpread(children: readonly PoissonChild[]): number {
  let q = 0;
  let k = 0;
  let expectedTotal = 0;
  for (const c of children) {
    const expected = c.exposure * c.parent;
    if (!(expected > 0)) continue;
    q += ((c.events - expected) * (c.events - expected)) / expected;
    k += 1;
    expectedTotal += expected;
  }
  if (k < 2 || expectedTotal <= 0) return 0;
  return Math.max(0, (q - k) / expectedTotal);
}

/** Posterior mean of a gamma-Poisson rate: (Y + 1/cv2) / (E + 1/(cv2 p)). */
export function shrinkHazard(
  events: number,
  exposure: number,
  parent: number,
  cv2: number
): number {
  if (cv2 <= 0 || parent <= 0) return parent;
  const a = 1 / cv2;
  return (events + a) / (exposure + a / parent);
}

export interface NormalChild {
  /** Sum of weights (effective observations). */
  w: number;
  mean: number;
  /** Within-child variance of one observation. */
  variance: number;
  parent: number;
}

/**
 * Normal-normal shrinkage of bucket means (deal values): the between-bucket variance tau2 is
 * the weighted spread of the means minus their sampling variance, floored at 0.
 */
export function normalSpread(children: readonly NormalChild[]): number {
  const usable = children.filter((c) => c.w > 1);
  if (usable.length < 2) return 0;
  let num = 0;
  let den = 0;
  for (const c of usable) {
    num += c.w * ((c.mean - c.parent) ** 2 - c.variance / c.w);
    den += c.w;
  }
  return Math.max(0, num / den);
}

export function shrinkMean(child: NormalChild, tau2: number): number {
  if (child.w <= 0) return child.parent;
  if (tau2 <= 0) return child.parent;
  const sampling = child.variance / child.w;
  const weight = tau2 / (tau2 + sampling);
  return weight * child.mean + (1 - weight) * child.parent;
}
