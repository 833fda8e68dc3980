/**
 * Leaflet for the map's modules, one import point. It used to publish `L` on window for
 * leaflet.markercluster (a UMD plugin extending the global); the clusters now come from supercluster,
 * an ES module that needs no global.
 */
import L from 'leaflet';

export default L;
