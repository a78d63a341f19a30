export { loadConfig, ConfigError, type Config } from './load-config';
export { loadServiceConfig, parseServiceConfig } from './load-service-config';
export { configSchema, type ConfigKey } from './schema';
export { fileVariableOf } from './secret-files';
export {
  REQUIRED_ONE_OF,
  SERVICE_NAMES,
  SERVICE_VARIABLES,
  variablesOf,
  variablesUsedAs,
  type ServiceName,
  type Use,
  type VariableUse,
} from './service-variables';
export { storageConfigFrom } from './storage-config';
export { REDIS_TARGET_KEYS, redisTargetFrom, redisVariables, type RedisTarget } from './redis-target';
