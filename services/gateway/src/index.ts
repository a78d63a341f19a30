export { buildApp } from './app';
export { composeGateway } from './compose-gateway';
