import { describe, expect, it } from 'vitest';
import { apRadius, buildingEntryLossDb, inverseNormal, streetLossDb } from '../../server/planning/propagation.js';

describe('the AP coverage radius (ITU-R P.1411 §4.1.1 street level, P.2109 building entry loss)', () => {
  it('street NLoS at the defaults (2.4 GHz, EIRP 20 dBm, threshold −75 dBm) is 78.6 m', () => {
    // budget = 20 − (−75) = 95 dB; 10 γ log10 f = 23.6 × log10 2.4 = 23.6 × 0.380211 = 8.9730
    // (95 − 10.2 − 8.9730) / (10 × 4.00) = 75.8270 / 40 = 1.895675 → 10^1.895675 = 78.65 m
    expect(apRadius().radiusM).toBeCloseTo(78.65, 1);
    expect(apRadius().withinModelRange).toBe(true);
  });

  it('street LoS is 531 m', () => {
    // 10 γ log10 f = 21.1 × 0.380211 = 8.0225; (95 − 29.2 − 8.0225) / 21.2 = 57.7775 / 21.2 = 2.725354 → 531.3 m
    expect(apRadius({ environment: 'los' }).radiusM).toBeCloseTo(531.3, 0);
  });

  it('the median building entry loss of a traditional building at 2.4 GHz is 15.19 dB', () => {
    // log10 2.4 = 0.380211; L_h = 12.64 + 3.72 × 0.380211 + 0.96 × 0.144560 = 12.64 + 1.41439 + 0.13878 = 14.1932
    // μ2 = 9.1 − 3.0 × 0.380211 = 7.9594; F⁻¹(0.5) = 0, so A = 14.1932, B = 7.9594, C = −3
    // 10 log10(10^1.41932 + 10^0.79594 + 10^−0.3) = 10 log10(26.2636 + 6.2506 + 0.5012) = 10 log10(33.0154) = 15.187
    expect(buildingEntryLossDb(2.4, 'traditional')).toBeCloseTo(15.187, 2);
  });

  it('indoor NLoS is 32.8 m and indoor LoS 102 m (the street budget less the entry loss)', () => {
    // NLoS: (95 − 15.187 − 10.2 − 8.9730) / 40 = 60.640 / 40 = 1.51600 → 32.81 m
    // LoS:  (95 − 15.187 − 29.2 − 8.0225) / 21.2 = 42.5905 / 21.2 = 2.00899 → 102.1 m
    expect(apRadius({ reach: 'indoor' }).radiusM).toBeCloseTo(32.81, 1);
    expect(apRadius({ reach: 'indoor', environment: 'los' }).radiusM).toBeCloseTo(102.1, 0);
  });

  it('the radius inverts the loss: L(r) + entry loss equals the budget', () => {
    const r = apRadius({ reach: 'indoor', frequencyGHz: 5.5, eirpDbm: 23 });
    expect(streetLossDb(r.radiusM, 5.5, 'nlos') + r.entryLossDb!).toBeCloseTo(23 + 75, 9);
  });

  it('a fixed radius is used as given', () => {
    expect(apRadius({}, 42)).toEqual({ radiusM: 42, source: 'fixed', budgetDb: null, entryLossDb: null, withinModelRange: null });
  });

  it('F⁻¹ is the inverse normal (0.9 → 1.2816) and refuses 0 and 1', () => {
    expect(inverseNormal(0.9)).toBeCloseTo(1.2816, 3);
    expect(inverseNormal(0.1)).toBeCloseTo(-1.2816, 3);
    expect(() => inverseNormal(1)).toThrow(/probability/);
  });
});
