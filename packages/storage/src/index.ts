export { recordingKey, companyPrefix, CONTENT_TYPES, type RecordingKeyParts } from './recording-key';
export { createStorage, type Storage, type StorageConfig, type StoredObject } from './storage-client';
export { allowBrowserReads } from './browser-cors';
