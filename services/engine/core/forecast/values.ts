import type { Day } from './dates';
import type { KnownDeals } from './known';
import { normalSpread, shrinkMean, type NormalChild } from './shrinkage';
import { decayWeights } from './survival';

/**
 * What a deal is worth if won, when its amount is not known at the as-of date: the mean won
 * value of its product (shrunk toward all products by normal-normal empirical Bayes), or the
 * list price for a product never won before, or the mean of all won deals.
 */
export interface ValueFit {
  mean: Float64Array;
  variance: Float64Array;
  overallMean: number;
  overallVariance: number;
}

export function fitValues(k: KnownDeals, origin: Day): ValueFit {
  const products = k.dict.product.length;
  const w = new Float64Array(products);
  const sx = new Float64Array(products);
  const sxx = new Float64Array(products);
  // Values are decayed with a one-year half-life: prices drift slower than close rates.
  const span = Math.max(1, origin - (k.observedFrom ?? origin));
  const weights = decayWeights(span + 1, 365);
  const { close, won, amount, product } = k.closed;
  for (let j = 0; j < close.length; j += 1) {
    const closeDay = close[j] as number;
    if (closeDay >= origin) break;
    if (!won[j]) continue;
    const x = amount[j] as number;
    if (Number.isNaN(x)) continue;
    const p = product[j] as number;
    const weight = weights[Math.min(span, origin - 1 - closeDay)] as number;
    w[p] = (w[p] as number) + weight;
    sx[p] = (sx[p] as number) + weight * x;
    sxx[p] = (sxx[p] as number) + weight * x * x;
  }
  return fitValuesFromSums(k, w, sx, sxx);
}

/** The value model from decay-weighted sums of won values per product (w, w x, w x^2). */
export function fitValuesFromSums(
  k: KnownDeals,
  w: Float64Array,
  sx: Float64Array,
  sxx: Float64Array
): ValueFit {
  const products = k.dict.product.length;
  let W = 0;
  let SX = 0;
  let SXX = 0;
  for (let p = 0; p < products; p += 1) {
    W += w[p] as number;
    SX += sx[p] as number;
    SXX += sxx[p] as number;
  }
  const overallMean = W > 0 ? SX / W : 0;
  const overallVariance = W > 0 ? Math.max(0, SXX / W - overallMean * overallMean) : 0;
  // Spread within a product relative to its mean, pooled: the variance prior for thin products.
  let cvNum = 0;
  let cvDen = 0;
  const children: NormalChild[] = [];
  for (let p = 0; p < products; p += 1) {
    const wp = w[p] as number;
    const mean = wp > 0 ? (sx[p] as number) / wp : overallMean;
    const variance = wp > 0 ? Math.max(0, (sxx[p] as number) / wp - mean * mean) : overallVariance;
    if (wp > 1 && mean > 0) {
      cvNum += wp * (variance / (mean * mean));
      cvDen += wp;
    }
    children.push({ w: wp, mean, variance, parent: overallMean });
  }
  const cv2 =
    cvDen > 0 ? cvNum / cvDen : overallMean > 0 ? overallVariance / (overallMean * overallMean) : 0;
  const tau2 = normalSpread(children);
  const mean = new Float64Array(products);
  const variance = new Float64Array(products);
  children.forEach((child, p) => {
    const price = k.listPrice[p] as number;
    if (child.w <= 0 && !Number.isNaN(price)) {
      mean[p] = price;
      variance[p] = cv2 * price * price;
      return;
    }
    const m = shrinkMean(child, tau2);
    mean[p] = m;
    const prior = cv2 * m * m;
    variance[p] = (child.w * child.variance + 5 * prior) / (child.w + 5);
  });
  return { mean, variance, overallMean, overallVariance };
}
