import type { RouteGenerator } from './probe';
import { adminGenerators, boardSignInGenerators } from './admin-probes';
import { dataSubjectGenerators } from './data-subject-probes';
import { recordingGenerators } from './recording-probes';

/**
 * Request generators by route ("METHOD /path" as Fastify prints it). A gateway route missing
 * here fails the suite with "add a generator for <route>": no route slips in unchecked.
 */
export const ROUTE_GENERATORS: Readonly<Record<string, RouteGenerator>> = {
  ...recordingGenerators,
  ...adminGenerators,
  ...dataSubjectGenerators,
  ...boardSignInGenerators,
};
