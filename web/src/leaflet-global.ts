/**
 * leaflet.markercluster is a UMD script that extends the global `L`; ES modules do not create
 * globals, so this module publishes Leaflet on window before markercluster is imported.
 */
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;

export default L;
