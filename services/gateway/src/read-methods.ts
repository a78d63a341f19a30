const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that changes nothing (by HTTP's meaning; its audit events aside). */
export const isReadMethod = (method: string): boolean => READ_METHODS.has(method);
