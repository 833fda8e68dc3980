/**
 * The coverage radius of a proposed wifi access point, from published propagation models:
 *
 * Street level — ITU-R P.1411-12 §4.1.1 (site-general model within street canyons, both ends
 * below rooftop, Table 4), median basic transmission loss
 *     L(d) = 10 α log10(d) + β + 10 γ log10(f)          [dB; d in m (3D distance), f in GHz]
 *   LoS, urban high-rise / low-rise / suburban: α = 2.12, β = 29.2,  γ = 2.11 (σ 5.06 dB), 0.8–82 GHz, d 5–660 m
 *   NLoS, urban high-rise:                      α = 4.00, β = 10.20, γ = 2.36 (σ 7.60 dB), 0.8–82 GHz, d 30–715 m
 * The site-general model needs no antenna height (a mounting height only enters the 3D distance,
 * negligible at these ranges), so the planner gives none.
 *
 * Indoor reach — ITU-R P.2109-2 §3 (building entry loss, horizontal path, θ = 0), not exceeded
 * with probability P:
 *     L_BEL(P) = 10 log10(10^(0.1 A(P)) + 10^(0.1 B(P)) + 10^(0.1 C))            (eq. 1)
 *     A(P) = F⁻¹(P) σ1 + μ1,  B(P) = F⁻¹(P) σ2 + μ2,  C = −3.0                   (eq. 2, 3)
 *     μ1 = L_h + L_e,  μ2 = w + x log10(f),  σ1 = u + v log10(f),  σ2 = y + z log10(f)   (eq. 4–7)
 *     L_h = r + s log10(f) + t (log10(f))²,  L_e = 0.212 |θ|                     (eq. 8, 9)
 *   Table 1, traditional building: r 12.64, s 3.72, t 0.96, u 9.6, v 2.0, w 9.1, x −3.0, y 4.5, z −2.0;
 *   thermally-efficient: r 28.19, s −3.00, t 8.48, u 13.5, v 3.8, w 27.8, x −2.9, y 9.4, z −2.1.
 *   F⁻¹ is the inverse standard normal distribution; P = 0.5 (the median) by default.
 *
 * Radius: the largest d with L(d) + L_BEL (indoor only) ≤ EIRP − receiver threshold, i.e.
 *     d = 10^((EIRP − threshold − L_BEL − β − 10 γ log10 f) / (10 α))
 * Defaults: 2.4 GHz, EIRP 20 dBm (the EU limit at 2.4 GHz, 100 mW), threshold −75 dBm, NLoS,
 * traditional buildings, P = 0.5. They give (README "Planning"): street NLoS 78.6 m,
 * street LoS 531 m, indoor NLoS 32.8 m, indoor LoS 102 m.
 */
import type { z } from 'zod';
import type { RADIUS_RESULT } from './plan-body-schemas.js';

export type Environment = 'los' | 'nlos';
export type Reach = 'street' | 'indoor';
export type BuildingType = 'traditional' | 'thermally-efficient';

export interface ApRadioParams {
  /** equivalent isotropically radiated power, dBm */
  eirpDbm: number;
  frequencyGHz: number;
  /** the weakest received level that counts as covered, dBm */
  thresholdDbm: number;
  environment: Environment;
  reach: Reach;
  building: BuildingType;
  /** P of P.2109 (0 < P < 1): the share of buildings whose entry loss is at most the value used */
  entryLossProbability: number;
}

export const DEFAULT_RADIO: Readonly<ApRadioParams> = Object.freeze({
  eirpDbm: 20, frequencyGHz: 2.4, thresholdDbm: -75, environment: 'nlos', reach: 'street', building: 'traditional', entryLossProbability: 0.5,
});

/** P.1411-12 Table 4 coefficients and their domain of validity */
export const P1411_TABLE4: Readonly<Record<Environment, { alpha: number; beta: number; gamma: number; sigmaDb: number; minM: number; maxM: number }>> = {
  los: { alpha: 2.12, beta: 29.2, gamma: 2.11, sigmaDb: 5.06, minM: 5, maxM: 660 },
  nlos: { alpha: 4.0, beta: 10.2, gamma: 2.36, sigmaDb: 7.6, minM: 30, maxM: 715 },
};

const P2109_TABLE1: Readonly<Record<BuildingType, Readonly<Record<'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z', number>>>> = {
  traditional: { r: 12.64, s: 3.72, t: 0.96, u: 9.6, v: 2.0, w: 9.1, x: -3.0, y: 4.5, z: -2.0 },
  'thermally-efficient': { r: 28.19, s: -3.0, t: 8.48, u: 13.5, v: 3.8, w: 27.8, x: -2.9, y: 9.4, z: -2.1 },
};

/** P.1411 §4.1.1 median basic transmission loss at distance dM (m), dB */
export function streetLossDb(dM: number, frequencyGHz: number, env: Environment): number {
  const c = P1411_TABLE4[env];
  return 10 * c.alpha * Math.log10(dM) + c.beta + 10 * c.gamma * Math.log10(frequencyGHz);
}

/**
 * Inverse standard normal CDF, Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), which is what
 * P.2109 §3 asks for (F⁻¹) to far better than the model's own spread.
 */
export function inverseNormal(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`probability must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  const x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return p < 0.5 ? -x : x;
}

/** P.2109 §3 building entry loss at a horizontal path (θ = 0), dB */
export function buildingEntryLossDb(frequencyGHz: number, building: BuildingType, probability = 0.5): number {
  const c = P2109_TABLE1[building];
  const lf = Math.log10(frequencyGHz);
  const fInv = inverseNormal(probability);
  const lh = c.r + c.s * lf + c.t * lf * lf; // eq. 8
  const le = 0; // eq. 9 with θ = 0
  const a = fInv * (c.u + c.v * lf) + lh + le; // eq. 2 with eq. 4, 6
  const b = fInv * (c.y + c.z * lf) + c.w + c.x * lf; // eq. 3 with eq. 5, 7
  return 10 * Math.log10(10 ** (0.1 * a) + 10 ** (0.1 * b) + 10 ** (0.1 * -3.0)); // eq. 1
}

/** radius, source (model or fixed), loss budget and building entry loss (plan-body-schemas.ts) */
export type RadiusResult = z.infer<typeof RADIUS_RESULT>;

/** The covered radius of an AP: `fixedRadiusM` when given, else the model's. */
export function apRadius(params: Partial<ApRadioParams> = {}, fixedRadiusM?: number): RadiusResult {
  if (fixedRadiusM !== undefined) return { radiusM: fixedRadiusM, source: 'fixed', budgetDb: null, entryLossDb: null, withinModelRange: null };
  const p = { ...DEFAULT_RADIO, ...params };
  const c = P1411_TABLE4[p.environment];
  const budget = p.eirpDbm - p.thresholdDbm;
  const bel = p.reach === 'indoor' ? buildingEntryLossDb(p.frequencyGHz, p.building, p.entryLossProbability) : 0;
  const exponent = (budget - bel - c.beta - 10 * c.gamma * Math.log10(p.frequencyGHz)) / (10 * c.alpha);
  const radiusM = 10 ** exponent;
  return {
    radiusM, source: p.reach === 'indoor' ? 'P.1411+P.2109' : 'P.1411', budgetDb: budget,
    entryLossDb: p.reach === 'indoor' ? bel : null, withinModelRange: radiusM >= c.minM && radiusM <= c.maxM,
  };
}
