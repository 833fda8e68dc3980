/**
 * `public.*`: what the unauthenticated pages give (README "Public status page and open data").
 * Aggregates by area and technology are public by default (they name no device and no position
 * finer than an area); anything finer, such as the public wifi APs' locations, is off until the
 * operator turns it on.
 */
import { z } from 'zod';

export const publicSchema = z.strictObject({
  /** /status and /api/public/status.json */
  statusPage: z.boolean().default(true),
  /** the page's heading */
  title: z.string().min(1).max(200).default('Network status'),
  /** days of incident history the page and its JSON show */
  historyDays: z.number().int().min(1).max(90).default(90),
  /** /api/public/datasets and its distributions */
  datasets: z.boolean().default(true),
  /** publish the public wifi APs' positions as a dataset (positions finer than an area) */
  wifiApLocations: z.boolean().default(false),
  /** licence of the open data (DCAT-AP dct:license) */
  licence: z.strictObject({
    title: z.string().min(1).default('Creative Commons Attribution 4.0 International (CC BY 4.0)'),
    url: z.string().url().default('https://creativecommons.org/licenses/by/4.0/'),
  }).prefault({}),
  /** the body publishing the data (DCAT-AP dct:publisher) */
  publisher: z.strictObject({
    name: z.string().min(1).default('netatlas operator'),
    url: z.string().url().optional(),
  }).prefault({}),
});

export type PublicConfig = z.output<typeof publicSchema>;

/** The defaults, for callers without a config file (tests, tools). */
export const DEFAULT_PUBLIC: PublicConfig = publicSchema.parse({});
