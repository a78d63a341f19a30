import createError from '@fastify/error';

export const UnauthorizedError = createError('unauthorized', '%s', 401);
export const ForbiddenError = createError('forbidden', '%s', 403);
export const NotFoundError = createError('not_found', '%s', 404);
export const InvalidCursorError = createError('invalid_cursor', 'cursor is invalid, expired or belongs to another query', 400);
export const ConflictError = createError('conflict', '%s', 409);
export const BadRequestError = createError('bad_request', '%s', 400);
