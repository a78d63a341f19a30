export { loadConfig, ConfigError, type Config, type ConfigKey } from './load-config';
export { configSchema } from './schema';
