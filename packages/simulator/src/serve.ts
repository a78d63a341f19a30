import { registerChatCompletionsApi, SimModelServer } from './chat-completions-api';
import { registerAudioTranscriptionsApi } from './audio-transcriptions-api';
import { registerDeepgramApi } from './deepgram-api';
import { createSimulator } from './simulator';
import { registerModelAdminRoutes, registerSimAdminRoutes } from './sim-admin-routes';

/**
 * The simulator as a process: `SIM_PORT=3010 SIM_DEEPGRAM_KEY=... SIM_MODEL_KEY=... node --import tsx packages/simulator/src/serve.ts`.
 * A development tool, not a service: it reads its settings straight from the environment.
 */
const simulator = createSimulator();
registerSimAdminRoutes(simulator.app, simulator);
if (process.env.SIM_DEEPGRAM_KEY) registerDeepgramApi(simulator.app, { apiKey: process.env.SIM_DEEPGRAM_KEY });
if (process.env.SIM_MODEL_KEY) {
  const model = new SimModelServer(process.env.SIM_MODEL_KEY);
  registerChatCompletionsApi(simulator.app, model);
  registerModelAdminRoutes(simulator.app, model);
  registerAudioTranscriptionsApi(simulator.app, { apiKey: process.env.SIM_MODEL_KEY });
}
await simulator.listen(Number(process.env.SIM_PORT ?? 3010));
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'simulator listening', url: simulator.baseUrl })}\n`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
