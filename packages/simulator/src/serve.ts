import { registerDeepgramApi } from './deepgram-api';
import { createSimulator } from './simulator';
import { registerSimAdminRoutes } from './sim-admin-routes';

/**
 * The simulator as a process: `SIM_PORT=3010 SIM_DEEPGRAM_KEY=... node --import tsx packages/simulator/src/serve.ts`.
 * A development tool, not a service: it reads its two settings straight from the environment.
 */
const simulator = createSimulator();
registerSimAdminRoutes(simulator.app, simulator);
if (process.env.SIM_DEEPGRAM_KEY) registerDeepgramApi(simulator.app, { apiKey: process.env.SIM_DEEPGRAM_KEY });
await simulator.listen(Number(process.env.SIM_PORT ?? 3010));
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'simulator listening', url: simulator.baseUrl })}\n`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
