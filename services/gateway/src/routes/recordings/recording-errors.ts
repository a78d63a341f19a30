import createError from '@fastify/error';

/** Errors of the recording routes, beside the gateway's own in ../../errors.ts. */
export const LegalHoldError = createError('legal_hold', 'recording is under legal hold', 409);
export const CompanyRequiredError = createError('company_required', 'a superadmin must name the company with companyId', 400);
