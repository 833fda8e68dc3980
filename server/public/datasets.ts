/**
 * The open-data catalogue in DCAT-AP (JSON-LD) and the tables its distributions serve. Each
 * dataset has stable URLs, one per format (CSV, GeoJSON or JSON), under /api/public/datasets/;
 * the catalogue lists them with the configured licence (default CC BY 4.0) and publisher.
 * The tables carry aggregates by area or hexagon; AP positions only when public.wifiApLocations
 * allows, and then without device ids.
 */
import type { AreaCoverage } from '../analytics/coverage.js';
import type { GapProperties } from '../analytics/gaps.js';
import { csvRow } from '../csv.js';
import type { Device } from '../../core/device.js';
import type { PublicConfig } from './config.js';

export const DATASETS_PATH = '/api/public/datasets';
const FREQ = 'http://publications.europa.eu/resource/authority/frequency/';
const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
const MEDIA: Record<Format, { mediaType: string; fileType: string }> = {
  csv: { mediaType: 'text/csv', fileType: 'CSV' },
  geojson: { mediaType: 'application/geo+json', fileType: 'GEOJSON' },
  json: { mediaType: 'application/json', fileType: 'JSON' },
};

export type Format = 'csv' | 'geojson' | 'json';

export interface DatasetSpec {
  id: string;
  title: string;
  description: string;
  /** EU frequency vocabulary code: IRREG (changes with the inventory), QUARTERLY … */
  frequency: string;
  temporal: { start: string; end: string };
  /** format -> path under DATASETS_PATH */
  files: Partial<Record<Format, string>>;
}

/** The datasets the config allows; `desiPeriods` are the DESI periods to list (newest first). */
export function datasetSpecs(pub: PublicConfig, now: number, desiPeriods: readonly { label: string; from: number; to: number }[]): DatasetSpec[] {
  const today = new Date(now).toISOString().slice(0, 10);
  const snapshot = { start: today, end: today };
  const specs: DatasetSpec[] = [
    {
      id: 'coverage-by-area', title: 'Broadband coverage by area',
      description: 'Per area: households, fibre nodes and households passed, fibre coverage share, public wifi APs and the share of the area and of its population within their range, as built.',
      frequency: 'IRREG', temporal: snapshot, files: { csv: 'coverage-by-area.csv', geojson: 'coverage-by-area.geojson' },
    },
    {
      id: 'gaps-by-hexagon', title: 'Coverage gaps by hexagon',
      description: 'H3 hexagons (resolution 9, about 0.1 km²) with households that neither fibre nor public wifi covers, worst first.',
      frequency: 'IRREG', temporal: snapshot, files: { csv: 'gaps-by-hexagon.csv', geojson: 'gaps-by-hexagon.geojson' },
    },
  ];
  if (pub.wifiApLocations) {
    specs.push({
      id: 'wifi-ap-locations', title: 'Public wifi access points',
      description: 'Positions and nominal range of the public wifi access points (no device identifiers).',
      frequency: 'IRREG', temporal: snapshot, files: { csv: 'wifi-ap-locations.csv', geojson: 'wifi-ap-locations.geojson' },
    });
  }
  for (const p of desiPeriods) {
    specs.push({
      id: `desi-${p.label}`, title: `DESI connectivity indicators, ${p.label}`,
      description: `Digital Economy and Society Index connectivity indicators per municipality and for the region over ${p.label}, with their completeness and the reasons an indicator is not available.`,
      frequency: 'QUARTERLY', temporal: { start: new Date(p.from).toISOString().slice(0, 10), end: new Date(p.to - 1).toISOString().slice(0, 10) },
      files: { csv: `desi/${p.label}.csv`, json: `desi/${p.label}.json` },
    });
  }
  return specs;
}

/** The DCAT-AP catalogue as JSON-LD; `base` is the service's origin (http://host:port). */
export function dcatCatalog(pub: PublicConfig, specs: readonly DatasetSpec[], base: string): Record<string, unknown> {
  const licence = { '@id': pub.licence.url, 'dct:title': pub.licence.title };
  const publisher = { '@type': 'foaf:Agent', 'foaf:name': pub.publisher.name, ...(pub.publisher.url ? { 'foaf:homepage': { '@id': pub.publisher.url } } : {}) };
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/', xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': `${base}${DATASETS_PATH}`,
    '@type': 'dcat:Catalog',
    'dct:title': `${pub.title}: open data`,
    'dct:description': 'Open data on broadband coverage, coverage gaps and DESI indicators of the region, aggregated by area.',
    'dct:publisher': publisher,
    'dct:license': licence,
    'dcat:dataset': specs.map((s) => ({
      '@id': `${base}${DATASETS_PATH}#${s.id}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': s.id,
      'dct:title': s.title,
      'dct:description': s.description,
      'dct:publisher': publisher,
      'dct:license': licence,
      'dct:accrualPeriodicity': { '@id': `${FREQ}${s.frequency}` },
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': { '@value': s.temporal.start, '@type': 'xsd:date' }, 'dcat:endDate': { '@value': s.temporal.end, '@type': 'xsd:date' } },
      'dcat:distribution': (Object.entries(s.files) as [Format, string][]).map(([format, file]) => ({
        '@id': `${base}${DATASETS_PATH}/${file}`,
        '@type': 'dcat:Distribution',
        'dct:title': `${s.title} (${MEDIA[format].fileType})`,
        'dcat:accessURL': { '@id': `${base}${DATASETS_PATH}/${file}` },
        'dcat:downloadURL': { '@id': `${base}${DATASETS_PATH}/${file}` },
        'dcat:mediaType': MEDIA[format].mediaType,
        'dct:format': { '@id': `${FILE_TYPE}${MEDIA[format].fileType}` },
        'dct:license': licence,
      })),
    })),
  };
}

const COVERAGE_COLUMNS = ['area', 'name', 'households', 'fibre_nodes', 'fibre_households_passed', 'fibre_coverage', 'wifi_aps', 'wifi_area_coverage', 'wifi_population_coverage'] as const;

export function coverageRow(a: AreaCoverage): (string | number | null)[] {
  return [a.id, a.name, a.households, a.fibre.nodes, a.fibre.householdsPassed, a.fibre.asBuilt, a.wifi.aps, a.wifi.areaAsBuilt, a.wifi.populationAsBuilt];
}

export function coverageCsv(areas: readonly AreaCoverage[]): string {
  return [COVERAGE_COLUMNS.join(','), ...areas.map((a) => csvRow(coverageRow(a)))].join('\r\n') + '\r\n';
}

export function coverageProps(a: AreaCoverage): Record<string, unknown> {
  const row = coverageRow(a);
  return Object.fromEntries(COVERAGE_COLUMNS.map((c, i) => [c, row[i]]));
}

export function gapsCsv(cells: readonly GapProperties[]): string {
  const head = 'h3,area,households,fibre_share,wifi_share,uncovered_households';
  return [head, ...cells.map((g) => csvRow([g.h3, g.area, g.households, g.fibreShare, g.wifiShare, g.uncoveredHouseholds]))].join('\r\n') + '\r\n';
}

/** AP positions without ids: site, area, position and nominal range. */
export function apRows(aps: readonly Device[]): { site: string; area: string; lat: number; lon: number; radius_m: number | null }[] {
  return aps.filter((d) => d.tech === 'wifi').map((d) => ({ site: d.site, area: d.area, lat: d.location.lat, lon: d.location.lon, radius_m: d.radiusM ?? null }));
}

export function apsCsv(aps: readonly Device[]): string {
  return ['site,area,lat,lon,radius_m', ...apRows(aps).map((r) => csvRow([r.site, r.area, r.lat, r.lon, r.radius_m]))].join('\r\n') + '\r\n';
}

export function apsGeoJson(aps: readonly Device[]): Record<string, unknown> {
  return {
    type: 'FeatureCollection',
    features: apRows(aps).map(({ lat, lon, ...props }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props })),
  };
}
