export { ApiError, apiErrorFrom, type FieldError } from './api-error';
export { createGatewayClient, type GatewayClient, type GatewayClientOptions } from './client';
export type { paths, components, operations } from './gateway-schema';
