/** `public.*`: defaults (aggregates on, AP positions off, CC BY 4.0), environment overrides, bad values. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('public config', () => {
  it('defaults: status page and datasets on, AP positions off, CC BY 4.0, 90 days', () => {
    const c = loadConfig({ env: {} });
    expect(c.public).toEqual({
      statusPage: true, title: 'Network status', historyDays: 90, datasets: true, wifiApLocations: false,
      licence: { title: 'Creative Commons Attribution 4.0 International (CC BY 4.0)', url: 'https://creativecommons.org/licenses/by/4.0/' },
      publisher: { name: 'netatlas operator' },
    });
  });
  it('takes NETATLAS_PUBLIC_* overrides', () => {
    const c = loadConfig({ env: { NETATLAS_PUBLIC_STATUS_PAGE: 'false', NETATLAS_PUBLIC_HISTORY_DAYS: '30', NETATLAS_PUBLIC_WIFI_AP_LOCATIONS: 'yes', NETATLAS_PUBLIC_LICENCE: '{"title":"X","url":"https://x.org/"}' } });
    expect(c.public).toMatchObject({ statusPage: false, historyDays: 30, wifiApLocations: true, licence: { title: 'X', url: 'https://x.org/' } });
  });
  it('refuses more than 90 days of history and a licence that is not a URL, naming the key', () => {
    expect(() => loadConfig({ env: { NETATLAS_PUBLIC_HISTORY_DAYS: '365' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { NETATLAS_PUBLIC_HISTORY_DAYS: '365' } })).toThrow(/public\.historyDays/);
    expect(() => loadConfig({ env: { NETATLAS_PUBLIC_LICENCE: '{"url":"not a url"}' } })).toThrow(/public\.licence\.url/);
  });
});
