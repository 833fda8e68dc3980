/**
 * The codes of the European Commission's Digital Decade data hub for the indicators netatlas
 * reports under the DESI 2022 numbering, and how netatlas's definition differs from the hub's.
 * Users compare our figures with the hub's tables: each indicator says which of its series is the
 * same quantity, and why the two numbers will not be equal for one region.
 */

export interface DigitalDecadeCode {
  /** the hub's indicator code, e.g. `dd_vhcnc` */
  code: string;
  /** what the series is in the hub */
  series: string;
}

export interface CodeMapping {
  codes: readonly DigitalDecadeCode[];
  /** how netatlas's figure differs from the hub's for the same indicator */
  difference: string;
}

const MONITORED_ONLY = 'netatlas counts only the nodes of the monitored network in the inventory, "as built", over the region\'s households (counted or estimated); the hub counts every operator in the country, from the Commission\'s yearly Broadband Coverage in Europe study (situation at mid-year), so for one region netatlas gives a lower bound of the hub\'s figure';
const TAKE_UP = 'netatlas counts the subscriptions recorded on the monitored network\'s nodes over the region\'s households; the hub counts every operator\'s fixed broadband subscriptions from the national regulators (COCOM data, July of the year) over all households of the country';

export const DIGITAL_DECADE: Readonly<Record<string, CodeMapping>> = {
  '2b3': {
    codes: [
      { code: 'desi_fttp', series: 'FTTP coverage (DESI connectivity, % of households)' },
      { code: 'dd_fttpc', series: 'FTTP coverage (Digital Decade KPI, % of households)' },
    ],
    difference: `${MONITORED_ONLY}.`,
  },
  '2b2': {
    codes: [
      { code: 'desi_vhcn', series: 'Fixed very high capacity network (VHCN) coverage (DESI connectivity, % of households)' },
      { code: 'dd_vhcnc', series: 'Gigabit (VHCN) coverage (Digital Decade KPI, % of households)' },
    ],
    difference: `${MONITORED_ONLY}; the hub's VHCN follows BEREC's VHCN guidelines (FTTP, DOCSIS 3.1 and any network meeting their performance thresholds), netatlas's is FTTH, FTTB and DOCSIS 3.1 nodes only.`,
  },
  'DD-gigabit': {
    codes: [{ code: 'dd_vhcnc', series: 'Gigabit (VHCN) coverage (Digital Decade KPI, % of households)' }],
    difference: `The Digital Decade measures its gigabit target as VHCN coverage; same value as 2b2 here. ${MONITORED_ONLY}.`,
  },
  '2a1': {
    codes: [{ code: 'desi_2a1', series: 'Overall fixed broadband take-up (% of households)' }],
    difference: `${TAKE_UP}.`,
  },
  '2a2': {
    codes: [{ code: 'desi_2a2', series: 'At least 100 Mbps fixed broadband take-up (% of households)' }],
    difference: `${TAKE_UP}; the hub's speed is the subscribed (advertised) download speed, netatlas's the speed recorded in the inventory.`,
  },
};

/** The mapping of an indicator, or none (regional indicators and those DESI 2022 alone defines). */
export function digitalDecadeOf(desiCode: string): CodeMapping {
  return DIGITAL_DECADE[desiCode] ?? { codes: [], difference: '' };
}

/** What the two code systems are, stated once per report. */
export const CODE_SYSTEMS = {
  desi2022: 'DESI 2022 numbering, connectivity dimension 2 (2a take-up, 2b fixed coverage, 2c mobile, 2d prices); R- codes are netatlas regional indicators DESI lacks',
  digitalDecade: 'indicator codes of the European Commission\'s Digital Decade data hub (the DESI and Digital Decade datasets since 2023), given beside the DESI 2022 code of the same indicator with how the definitions differ',
} as const;
