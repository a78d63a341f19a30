export { ProviderRejectedError, ProviderUnavailableError, InsecureTransportError } from './provider-errors';
export { assertCredentialTransport, isLoopbackHost } from './credential-transport';
export { providerRequest, type ProviderRequest } from './provider-request';
export {
  createTwilioRest,
  twilioAuthorization,
  type TwilioRest,
  type TwilioCredentials,
  type TwilioCallRecord,
  type TwilioRecordingListing,
  type IncomingNumber,
} from './twilio-rest';
export { createVapiRest, type VapiRest, type VapiPhoneNumber } from './vapi-rest';
