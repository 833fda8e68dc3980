/** How the DESI view writes an indicator's value and completeness (tables and charts alike). */
import type { DesiIndicator } from '../api.js';

/** units are '%' or '% of households': one decimal, as the area panel */
export function valueText(i: Pick<DesiIndicator, 'value' | 'unit' | 'available'>): string {
  if (!i.available || i.value === null) return 'not available';
  return i.unit.startsWith('%') ? `${i.value.toFixed(1)} %` : `${i.value} ${i.unit}`;
}

/** completeness is the share (0..1) of the devices concerned that had the data; null: none concerned */
export function completenessText(c: number | null): string {
  return c === null ? '—' : `${(c * 100).toFixed(1)} %`;
}

/** the top of a chart's scale: 100 for percentages, else the largest value */
export function scaleMax(unit: string, values: readonly number[]): number {
  return unit.startsWith('%') ? 100 : Math.max(1, ...values);
}
