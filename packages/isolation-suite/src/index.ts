export { settings } from './settings';
export { worldShape, type WorldShape, type CompanyShape, type CallShape } from './world-shape';
export {
  buildWorld,
  resetWorld,
  freshPrincipal,
  distinctNumber,
  type World,
  type WorldUser,
  type WorldCompany,
  type WorldCall,
  type WorldRecording,
  type Principal,
  type Superadmin,
} from './world';
export {
  seesOwned,
  seesUser,
  actsForUser,
  administers,
  visibleCalls,
  visibleRecordings,
  forbiddenTokens,
  expectedStats,
  reportIdsOf,
  type ExpectedStats,
} from './world-model';
export { discoverRoutes, isUnexercised, routeKey, UNEXERCISED_ROUTES, type DiscoveredRoute } from './route-discovery';
export { ROUTE_GENERATORS } from './probe-table';
export { createProbeRunner, inject, type ProbeRunner, type Violation, type ViolationCategory } from './probe-runner';
export { snapshot, changedRows, protectedFor, type Snapshot } from './db-snapshot';
export { leakedTokens, errorBodyProblems, responseText } from './leak-scan';
export { captureLogs, type LogCapture } from './capture-log';
export { startPipeline, runScenario, type Pipeline, type ScenarioTrace, type ScenarioCompany } from './pipeline';
export { startIngest, twilioForm, vapiMessage, type RunningIngest, type TwilioKind } from './webhook-forms';
export { summarize } from './violations';
