/**
 * Traffic over a day, as a factor of the peak (0..1]: quiet at night, a morning rise, a lunch
 * bump and the evening peak (home fibre traffic peaks around 21:00). Local time of the host.
 */
const HOURLY: readonly number[] = [
  0.35, 0.25, 0.18, 0.15, 0.15, 0.18, 0.28, 0.45, 0.55, 0.58, 0.6, 0.63,
  0.68, 0.65, 0.62, 0.63, 0.67, 0.74, 0.83, 0.92, 0.98, 1.0, 0.85, 0.6,
];

/** The factor at `when`, interpolated between the hours so rates never jump. */
export function dayFactor(when: Date): number {
  const h = when.getHours() + when.getMinutes() / 60 + when.getSeconds() / 3600;
  const i = Math.floor(h) % 24;
  const f = h - Math.floor(h);
  return HOURLY[i]! * (1 - f) + HOURLY[(i + 1) % 24]! * f;
}
