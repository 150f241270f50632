import type { Day } from './dates';
import type { KnownDeals } from './known';
import { FULL_POOLING, shrinkRate } from './shrinkage';
import { decayWeights } from './survival';
import type { TreeLevel } from './types';

/**
 * Close rates (won / closed) per bucket in a tree: all deals -> product -> product x source ->
 * ... -> rep, each node shrunk toward its parent by beta-binomial empirical Bayes with a prior
 * strength estimated per level. A deal's bucket effect is the log odds ratio of its deepest
 * node against the root; the survival model supplies the base rate by age, stage and season.
 */
export interface WinTree {
  levels: TreeLevel[];
  nodeCount: number;
  parent: Int32Array;
  depth: Uint8Array;
  /** Node ids per depth (index 0 = [root]). */
  byDepth: Int32Array[];
  /** Leaf node of every deal of the known table, and of the closed deals in close order. */
  leafOfDeal: Int32Array;
  leafOfClosed: Int32Array;
  /** Depth-1 ancestor of every node (the model-uncertainty group), -1 for the root. */
  topOfNode: Int32Array;
  /** Depth-1 nodes in id order, mapped to 0..count-1. */
  topIndex: Map<number, number>;
}

function levelCodes(k: KnownDeals, level: TreeLevel): Int32Array {
  return k[level];
}

/** Builds the bucket structure once for every deal of the table (open or closed). */
export function buildWinTree(k: KnownDeals, requested: readonly TreeLevel[]): WinTree {
  // A level with a single value splits nothing; it is left out rather than estimated.
  const levels = requested.filter((level) => k.dict[level].length > 1);
  const parent: number[] = [-1];
  const depth: number[] = [0];
  // Children of each level are found by (parent's index within its level, code): a dense table
  // when it is small enough, a map otherwise.
  const localIndex: number[] = [0];
  let previousCount = 1;
  const levelNode: Int32Array = new Int32Array(k.n);
  for (let l = 0; l < levels.length; l += 1) {
    const codes = levelCodes(k, levels[l] as TreeLevel);
    const cardinality = k.dict[levels[l] as TreeLevel].length;
    const size = previousCount * cardinality;
    const dense = size <= 1 << 22 ? new Int32Array(size).fill(-1) : null;
    const map = dense ? null : new Map<number, number>();
    let count = 0;
    for (let i = 0; i < k.n; i += 1) {
      const node = levelNode[i] as number;
      const key = (localIndex[node] as number) * cardinality + (codes[i] as number);
      let child = dense ? (dense[key] as number) : (map?.get(key) ?? -1);
      if (child < 0) {
        child = parent.length;
        parent.push(node);
        depth.push(l + 1);
        localIndex.push(count);
        count += 1;
        if (dense) dense[key] = child;
        else map?.set(key, child);
      }
      levelNode[i] = child;
    }
    previousCount = count;
  }
  const leafOfDeal = levelNode;
  const nodeCount = parent.length;
  const byDepthLists: number[][] = Array.from({ length: levels.length + 1 }, () => []);
  for (let node = 0; node < nodeCount; node += 1)
    (byDepthLists[depth[node] as number] as number[]).push(node);
  const topOfNode = new Int32Array(nodeCount).fill(-1);
  for (let node = 1; node < nodeCount; node += 1) {
    topOfNode[node] = depth[node] === 1 ? node : (topOfNode[parent[node] as number] as number);
  }
  const topIndex = new Map<number, number>((byDepthLists[1] ?? []).map((node, i) => [node, i]));
  return {
    levels,
    nodeCount,
    parent: Int32Array.from(parent),
    depth: Uint8Array.from(depth),
    byDepth: byDepthLists.map((list) => Int32Array.from(list)),
    leafOfDeal,
    leafOfClosed: gatherLeaves(k.closed.deal, leafOfDeal),
    topOfNode,
    topIndex
  };
}

function gatherLeaves(deals: Int32Array, leafOfDeal: Int32Array): Int32Array {
  const out = new Int32Array(deals.length);
  for (let j = 0; j < deals.length; j += 1) out[j] = leafOfDeal[deals[j] as number] as number;
  return out;
}

export interface WinTreeFit {
  /** Shrunk close rate per node. */
  rate: Float64Array;
  /** Decay-weighted closed deals of all deals, and of each depth-1 node (by topIndex). */
  rootClosed: number;
  topClosed: Float64Array;
  /** Prior strength (pseudo-deals) per depth; index 0 unused. */
  strength: number[];
  root: number;
}

/** Fits the tree on deals closed before `origin`, weighted toward the origin. */
export function fitWinTree(
  tree: WinTree,
  k: KnownDeals,
  origin: Day,
  halfLifeDays: number
): WinTreeFit {
  const span = Math.max(1, origin - (k.observedFrom ?? origin));
  const weights = decayWeights(span + 1, halfLifeDays);
  const closed = new Float64Array(tree.nodeCount);
  const wins = new Float64Array(tree.nodeCount);
  const closed2 = new Float64Array(tree.nodeCount);
  const { close: closeDays, won } = k.closed;
  const leaves = tree.leafOfClosed;
  for (let j = 0; j < closeDays.length; j += 1) {
    const closeDay = closeDays[j] as number;
    if (closeDay >= origin) break;
    const w = weights[Math.min(span, origin - 1 - closeDay)] as number;
    const leaf = leaves[j] as number;
    closed[leaf] = (closed[leaf] as number) + w;
    closed2[leaf] = (closed2[leaf] as number) + w * w;
    if (won[j]) wins[leaf] = (wins[leaf] as number) + w;
  }
  return fitWinTreeFromLeaves(tree, closed, wins, closed2);
}

/**
 * Fits the tree from decay-weighted counts at the leaves (closed, won, and closed with squared
 * weights); the arrays are node-sized and are summed up the tree in place.
 */
export function fitWinTreeFromLeaves(
  tree: WinTree,
  closed: Float64Array,
  wins: Float64Array,
  closed2: Float64Array
): WinTreeFit {
  // Children have larger ids than their parents, so one backward pass sums the tree.
  for (let node = tree.nodeCount - 1; node > 0; node -= 1) {
    const p = tree.parent[node] as number;
    closed[p] = (closed[p] as number) + (closed[node] as number);
    closed2[p] = (closed2[p] as number) + (closed2[node] as number);
    wins[p] = (wins[p] as number) + (wins[node] as number);
  }
  const rate = new Float64Array(tree.nodeCount);
  const root = (closed[0] as number) > 0 ? (wins[0] as number) / (closed[0] as number) : 0.5;
  rate[0] = root;
  const strength = [FULL_POOLING];
  for (let d = 1; d < tree.byDepth.length; d += 1) {
    const nodes = tree.byDepth[d] as Int32Array;
    // Pearson's statistic over the level (see betaBinomialStrength), computed in place: a level
    // can hold a hundred thousand buckets and is refitted at every calibration origin.
    let q = 0;
    let count = 0;
    let spread = 0;
    for (let j = 0; j < nodes.length; j += 1) {
      const node = nodes[j] as number;
      const n = closed[node] as number;
      const parent = rate[tree.parent[node] as number] as number;
      if (n <= 0 || !(parent > 0 && parent < 1)) continue;
      // Decayed counts at their effective size, (sum w)^2 / sum w^2.
      const nEff = (n * n) / (closed2[node] as number);
      // A bucket of one deal (nEff = 1, up to rounding) says nothing about the spread.
      if (nEff <= 1 + 1e-6) continue;
      const r = (wins[node] as number) / n;
      q += (nEff * (r - parent) * (r - parent)) / (parent * (1 - parent));
      count += 1;
      spread += nEff - 1;
    }
    const rho = count >= 2 && spread > 0 ? (q - count) / spread : 0;
    const m = rho > 1e-9 ? Math.min(FULL_POOLING, 1 / Math.min(rho, 0.999) - 1) : FULL_POOLING;
    strength.push(m);
    for (let j = 0; j < nodes.length; j += 1) {
      const node = nodes[j] as number;
      rate[node] = shrinkRate(
        wins[node] as number,
        closed[node] as number,
        rate[tree.parent[node] as number] as number,
        m
      );
    }
  }
  const topClosed = new Float64Array(tree.topIndex.size);
  for (const [node, g] of tree.topIndex) topClosed[g] = closed[node] as number;
  return { rate, rootClosed: closed[0] as number, topClosed, strength, root };
}

const clampP = (p: number): number => Math.min(1 - 1e-9, Math.max(1e-9, p));

export function logit(p: number): number {
  const q = clampP(p);
  return Math.log(q / (1 - q));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The bucket effect of a node: log odds of its close rate against all deals'. */
export function logOddsRatio(fit: WinTreeFit, node: number): number {
  return logit(fit.rate[node] as number) - logit(fit.root);
}

/**
 * Posterior variance of the close-rate multiplier of a depth-1 bucket (rate / its estimate),
 * the model uncertainty drawn in the Monte Carlo. Capped at the root's own uncertainty: a
 * fully pooled bucket is as uncertain as all deals together, not more certain.
 */
export function topMultiplierVariance(tree: WinTree, fit: WinTreeFit, top: number): number {
  const p = top >= 0 ? (fit.rate[top] as number) : fit.root;
  const strength = fit.strength[1] ?? FULL_POOLING;
  const own =
    top >= 0 ? (fit.topClosed[tree.topIndex.get(top) as number] as number) : fit.rootClosed;
  const effective = Math.min(own + strength, fit.rootClosed + 2);
  return (1 - p) / (Math.max(p, 1e-9) * (effective + 1));
}
