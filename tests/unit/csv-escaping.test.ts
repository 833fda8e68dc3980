/**
 * Issue 14 item 6: CSV cells starting with = + - @ (or tab / CR) are escaped with a leading `'`
 * (server/csv.ts), in both CSV reports netatlas writes: the DESI report and the weekly SLA report.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../server/csv.js';
import { slaCsv, type SlaReport } from '../../server/scheduled-reports/sla.js';

describe('csvCell', () => {
  it('prefixes a text cell that a spreadsheet would run as a formula, and quotes per RFC 4180', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
    // quoted after the prefix: the quote doubled, the whole cell in quotes
    expect(csvCell('=HYPERLINK("http://x.example","y")')).toBe('"\'=HYPERLINK(""http://x.example"",""y"")"');
    // not at the start: plain text
    expect(['a=b', 'olt-1', 'Ixelles, Elsene', 'x@y'].map(csvCell)).toEqual(['a=b', 'olt-1', '"Ixelles, Elsene"', 'x@y']);
  });

  it('writes numbers as numbers (a negative one is data, not a formula), null and undefined empty', () => {
    expect(csvRow([-27.5, -0.1234567, 1 / 3, 0, null, undefined, true])).toBe('-27.5,-0.123457,0.333333,0,,,true');
  });
});

describe('the SLA report CSV', () => {
  it('escapes hostile area names and device ids', () => {
    const r: SlaReport = {
      type: 'weekly-sla', period: '2026-W45', from: '2026-11-02T00:00:00.000Z', to: '2026-11-09T00:00:00.000Z', generatedAt: '2026-11-09T06:00:00.000Z',
      groups: [{ scope: 'area', key: 'x', name: '=cmd|\' /C calc\'!A0', devices: 1, up_ms: 600_000, down_ms: 0, unknown_ms: 0, maintenance_ms: 0, uptime: 1 }],
      incidents: [{ device: '@evil', area: '+x', tech: 'fibre', start: '2026-11-03T00:00:00.000Z', end: '2026-11-03T00:10:00.000Z', duration_ms: 600_000, ongoing: false, impact_hours: -1 }],
      worstDevices: [],
    };
    const lines = slaCsv(r).trimEnd().split('\r\n');
    expect(lines.slice(1)).toEqual([
      "uptime,area,x,'=cmd|' /C calc'!A0,1,1,600000,0,0,0,,,,",
      "incident,device,'@evil,'+x,1,,,,,,2026-11-03T00:00:00.000Z,2026-11-03T00:10:00.000Z,600000,-1",
    ]);
  });
});
