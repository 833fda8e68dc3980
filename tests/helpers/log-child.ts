// Logs one line through createLogger, for tests/integration/log-format.test.ts.
import { createLogger } from '../../core/log.js';

createLogger({ level: 'info' }).info({ device: 'olt-1' }, 'hello from the log test');
