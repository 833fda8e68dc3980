/**
 * The netatlas map: builds the map, its layers and controls, loads the data for the time window,
 * and applies live status changes. The moment the devices and areas are drawn is recorded as
 * `data-interactive-ms` on <html> (ms since navigation) — what the e2e test and the bench measure.
 */
import './styles.css';
import L from './leaflet-global.js';
import { api, type AreaProps, type Window } from './api.js';
import { DevicesLayer } from './layers/devices-layer.js';
import { loadDevices, type DevicesLoad } from './layers/device-source.js';
import { mapBoot } from './map-boot.js';
import { AreasLayer, type AreaMetric } from './layers/areas-layer.js';
import { GapsLayer } from './layers/gaps-layer.js';
import { WifiDiscsLayer } from './layers/wifi-discs-layer.js';
import { TimeWindowControl } from './controls/time-window-control.js';
import { LegendControl } from './controls/legend-control.js';
import { FindDeviceControl } from './controls/find-device-control.js';
import { Panel } from './panels/panel.js';
import { showDevice } from './panels/device-panel.js';
import { showArea } from './panels/area-panel.js';
import { TimeWindow } from './time-window.js';
import { connectLive } from './live.js';
import { loadWebConfig } from './web-config.js';
import { startAlertsBadge } from './controls/alerts-badge.js';
import { PlanControl } from './controls/plan-control.js';
import { mountNav, trackHashView } from './nav.js';
import { GapsView } from './gaps/gaps-view.js';

const GAPS_LIMIT = 2000;
const status = document.getElementById('na-status')!;

function say(text: string, kind: 'note' | 'error' = 'note'): void {
  status.textContent = text;
  status.dataset['kind'] = kind;
}

async function main(): Promise<void> {
  const nav = mountNav('map');
  // the gaps list is a part of the map page (/#gaps): its link is the current one there
  if (nav) trackHashView(nav, { '#gaps': 'gaps' }, 'map');
  // The devices are asked for before anything else (at 100 000 the answer is the longest wait of
  // the page): the page's head script (map-boot.ts) started the cluster worker, which fetches,
  // parses and indexes them while this script loads and sets the map up.
  const { clusters, devices: firstDevices } = mapBoot();
  const cfg = await loadWebConfig(location.search);
  // Only when alerting is configured: otherwise GET /api/alerts is a 404 in the console.
  if (cfg.alerts) startAlertsBadge(document.querySelector<HTMLElement>('.na-header')!);
  const map = L.map('map', { keyboard: true, zoomControl: true, minZoom: 3, maxZoom: 19, zoomSnap: 0.25 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.setView([cfg.center.lat, cfg.center.lon], cfg.zoom);

  if (cfg.tileUrl) {
    const tiles = L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 });
    // One note, not one per tile: with no tile server the map still works, just without a base map.
    tiles.once('tileerror', () => say('Base map tiles are unavailable; areas and devices are still shown.'));
    tiles.addTo(map);
  }

  const tw = new TimeWindow();
  const panel = new Panel(document.getElementById('na-panel')!, () => map.invalidateSize({ pan: false }));
  const selectDevice = (id: string): void => void showDevice(panel, id, tw.current, tw.stepFor());
  const plan = new PlanControl();
  // in planning mode a click drops an AP: it does not open the area panel too
  const selectArea = (p: AreaProps): void => { if (!plan.active) void showArea(panel, p, tw.current); };

  const devices = new DevicesLayer({ clusters, onSelect: selectDevice, onError: (err) => say(`Could not draw the devices: ${err.message}`, 'error') });
  const areas = new AreasLayer(selectArea);
  const gaps = new GapsLayer();
  const discs = new WifiDiscsLayer();
  const legend = new LegendControl('fibreCoverage', (m: AreaMetric) => areas.setMetric(m));
  let revealed = false;
  const finder = new FindDeviceControl((id) => {
    revealed = true;
    return devices.reveal(id, () => {
      selectDevice(id);
      // the panel took room from the map: bring the device back to the middle of what is left
      const at = devices.latLng(id);
      if (at) map.panTo(at, { animate: false });
    });
  });

  areas.addTo(map);
  devices.addTo(map);
  new TimeWindowControl(tw).addTo(map);
  finder.addTo(map);
  plan.addTo(map);
  L.control.layers(undefined, {
    'Devices (fibre and wifi)': devices,
    'Areas (choropleth)': areas,
    'Coverage gaps (hexagons)': gaps,
    'Wifi coverage discs': discs,
  }, { collapsed: window.matchMedia('(max-width: 600px)').matches, position: 'topright' }).addTo(map);
  legend.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  devices.onDataChange(() => legend.setCounts(devices.counts()));

  let areaLoad: AbortController | null = null;
  async function loadAreas(w: Window): Promise<void> {
    areaLoad?.abort();
    areaLoad = new AbortController();
    const fc = await api.areas(w, areaLoad.signal);
    areas.setData(fc);
    document.documentElement.dataset['areas'] = String(areas.count());
  }

  function setDevices({ table, indexed }: DevicesLoad): Promise<void> {
    discs.setDevices(table);
    finder.setIds(table.ids);
    return devices.setData(table, indexed);
  }

  // the planner's list beside the map at /#gaps; it loads the hexagons of the layer too
  new GapsView({ map, layer: gaps, limit: GAPS_LIMIT, say });

  tw.onChange((w) => {
    loadAreas(w).catch((err: Error) => { if (err.name !== 'AbortError') say(`Areas unavailable: ${err.message}`, 'error'); });
    if (panel.kind === 'device') {
      const id = document.querySelector<HTMLElement>('#na-panel .na-panel__body')?.dataset['device'];
      if (id) selectDevice(id);
    }
  });

  // Devices first, areas after: coverage over thousands of wifi discs can keep the server busy
  // far longer than the device list takes, and an operator needs the markers first.
  let userMoved = false;
  map.on('dragstart', () => { userMoved = true; });
  const nextPaint = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const first = await firstDevices;
  // the marks split the page's part for the bench (map-national): the devices in hand, then drawn
  performance.mark('netatlas:devices-parsed');
  if ('load' in first) {
    try {
      await setDevices(first.load);
      performance.mark('netatlas:devices-drawn');
    } catch (err) {
      say(`Could not draw the devices: ${(err as Error).message}`, 'error');
    }
  }
  else say(`Could not load the devices: ${first.err.message}`, 'error');
  // Two frames later the drawn markers and clusters have been laid out and painted: "interactive".
  await nextPaint();
  document.documentElement.dataset['interactiveMs'] = String(Math.round(performance.now()));
  performance.mark('netatlas:interactive');
  void loadAreas(tw.current).then(async () => {
    const b = areas.bounds();
    if (b && !userMoved && !revealed) map.fitBounds(b, { padding: [8, 8], animate: false });
    await nextPaint();
    document.documentElement.dataset['areasMs'] = String(Math.round(performance.now()));
  }, (err: Error) => say(`Could not load the areas: ${err.message}`, 'error'));

  connectLive('/api/events', {
    onChange: (c) => {
      if (devices.setStatus(c.device, c.status)) discs.setStatus(c.device, c.status);
    },
    onReconnect: () => { loadDevices(clusters).then(setDevices).catch(() => undefined); },
    onState: (connected) => {
      document.documentElement.dataset['live'] = connected ? 'connected' : 'reconnecting';
      if (connected && status.dataset['kind'] === 'live') say('');
      else if (!connected) { say('Live updates interrupted; reconnecting…'); status.dataset['kind'] = 'live'; }
    },
  });
}

main().catch((err: Error) => say(`The map failed to start: ${err.message}`, 'error'));
