export { loadConfig, ConfigError, type Config, type ConfigKey } from './load-config';
export { configSchema } from './schema';
export { storageConfigFrom } from './storage-config';
