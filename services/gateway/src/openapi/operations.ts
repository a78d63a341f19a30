/**
 * The name and one-line summary of every operation the gateway documents, keyed by method and
 * route. operationIds are part of the public contract (SDK method names come from them): rename
 * one only with a new API version. A route missing here stops the gateway at start, so no
 * operation reaches the document without a name.
 */
export const OPERATIONS: Readonly<Record<string, { operationId: string; summary: string }>> = {
  'GET /media/:id': { operationId: 'getMedia', summary: 'Stream a recording through a signed media URL' },
  'GET /v1/me': { operationId: 'getMe', summary: 'The caller: user, company and role' },

  'GET /v1/recordings': { operationId: 'listRecordings', summary: 'List recordings in scope' },
  'GET /v1/recordings/stats': { operationId: 'getRecordingStats', summary: 'Recording counts, durations and bytes in scope' },
  'GET /v1/recordings/:id': { operationId: 'getRecording', summary: 'Get one recording' },
  'PATCH /v1/recordings/:id': { operationId: 'updateRecording', summary: 'Change tags, category, priority, starred or archived' },
  'DELETE /v1/recordings/:id': { operationId: 'deleteRecording', summary: 'Delete a recording, keeping a tombstone' },
  'GET /v1/recordings/:id/playback': { operationId: 'getRecordingPlayback', summary: 'A short-lived URL to play the audio' },
  'GET /v1/recordings/:id/download': { operationId: 'downloadRecording', summary: 'Redirect to a short-lived download URL' },
  'PUT /v1/recordings/:id/legal-hold': { operationId: 'setRecordingLegalHold', summary: 'Place or lift a legal hold' },
  'POST /v1/recordings/bulk/:action': { operationId: 'bulkRecordingAction', summary: 'Star, unstar, archive, unarchive or delete up to 100 recordings' },
  'POST /v1/recordings/cleanup': { operationId: 'cleanupRecordings', summary: "Delete the company's recordings older than n days" },
  'POST /v1/recordings/sync': { operationId: 'syncRecordings', summary: "Enqueue a sync of the company's recordings from Twilio" },
  'GET /v1/recordings/:id/transcript': { operationId: 'getTranscript', summary: "A recording's transcript with its segments" },
  'POST /v1/recordings/:id/transcript': { operationId: 'retranscribeRecording', summary: 'Run transcription again' },
  'POST /v1/recordings/:id/analyze': {
    operationId: 'analyzeRecording',
    summary: "Re-run the recording's metrics and, for a company that opted in, its model analysis (the previous result stays until the new one succeeds)",
  },
  'GET /v1/stats/scorecard': { operationId: 'getScorecardStats', summary: 'Scorecard answers counted per question and per agent in scope' },
  'GET /v1/stats/model-usage': { operationId: 'getModelUsageStats', summary: 'Language-model requests, tokens and cost per company and model' },
  'GET /v1/settings/intelligence': { operationId: 'getIntelligenceSettings', summary: 'Call analysis settings of a company' },
  'PUT /v1/settings/intelligence': { operationId: 'putIntelligenceSettings', summary: 'Replace the call analysis settings of a company' },
  'GET /v1/settings/redaction-patterns': { operationId: 'getRedactionPatterns', summary: "A company's own redaction patterns" },
  'PUT /v1/settings/redaction-patterns': {
    operationId: 'putRedactionPatterns',
    summary: "Replace a company's own redaction patterns (applied, with cards and SSNs, to call text stored from then on)",
  },
  'GET /v1/settings/speech-to-text': { operationId: 'getSpeechToTextSettings', summary: "The company's speech-to-text service" },
  'PUT /v1/settings/speech-to-text': {
    operationId: 'putSpeechToTextSettings',
    summary: "Choose the company's speech-to-text service: Deepgram, OpenAI-compatible, or none",
  },
  'GET /v1/search': { operationId: 'searchTranscripts', summary: 'Full-text search over transcripts in scope' },

  'GET /v1/calls': { operationId: 'listCalls', summary: 'List calls in scope' },
  'GET /v1/transcripts': { operationId: 'listTranscripts', summary: 'List transcripts in scope (metadata; the change feed with sort=updatedAt)' },
  'GET /v1/calls/:id': { operationId: 'getCall', summary: 'Get one call with its recordings, transcript summary and analytics' },
  'POST /v1/call-links': { operationId: 'createCallLink', summary: 'Callback URLs and VAPI metadata for a call your own systems place' },

  'GET /v1/companies': { operationId: 'listCompanies', summary: 'List companies' },
  'POST /v1/companies': { operationId: 'createCompany', summary: 'Create a company' },
  'PATCH /v1/companies/:id': { operationId: 'updateCompany', summary: "Change a company's name or retention" },
  'GET /v1/companies/:id/export': { operationId: 'exportCompany', summary: "Export a company's data (NDJSON, streamed)" },
  'DELETE /v1/companies/:id': { operationId: 'offboardCompany', summary: 'Offboard a company: remove every row and object (202, a job)' },
  'GET /v1/companies/:id/offboarding': { operationId: 'getCompanyOffboarding', summary: "A company's offboarding status" },
  'GET /v1/data-subjects/:e164': { operationId: 'exportDataSubject', summary: 'Everything the company holds about a phone number (JSON, streamed)' },
  'DELETE /v1/data-subjects/:e164': { operationId: 'eraseDataSubject', summary: 'Erase everything the company holds about a phone number' },
  'GET /v1/users': { operationId: 'listUsers', summary: 'List users' },
  'POST /v1/users': { operationId: 'createUser', summary: 'Create a user' },
  'GET /v1/users/:id': { operationId: 'getUser', summary: 'Get one user' },
  'PATCH /v1/users/:id': { operationId: 'updateUser', summary: 'Change a user' },
  'DELETE /v1/users/:id': { operationId: 'deleteUser', summary: 'Delete a user' },
  'GET /v1/audit-events': { operationId: 'listAuditEvents', summary: 'Who read, played, downloaded, changed or deleted what' },

  'GET /v1/settings/twilio': { operationId: 'getTwilioSettings', summary: "The company's Twilio account (secrets never shown)" },
  'PUT /v1/settings/twilio': { operationId: 'putTwilioSettings', summary: "Register or change the company's Twilio account" },
  'GET /v1/settings/vapi': { operationId: 'getVapiSettings', summary: "The company's VAPI org (secrets never shown)" },
  'PUT /v1/settings/vapi': { operationId: 'putVapiSettings', summary: "Register or change the company's VAPI org" },
  'GET /v1/phone-numbers': { operationId: 'listPhoneNumbers', summary: 'List phone numbers' },
  'POST /v1/phone-numbers': { operationId: 'createPhoneNumber', summary: 'Register a phone number' },
  'POST /v1/phone-numbers/sync': { operationId: 'syncPhoneNumbers', summary: "Import the company's incoming numbers from Twilio" },
  'GET /v1/phone-numbers/:id': { operationId: 'getPhoneNumber', summary: 'Get one phone number' },
  'PATCH /v1/phone-numbers/:id': { operationId: 'updatePhoneNumber', summary: 'Change a phone number' },
  'DELETE /v1/phone-numbers/:id': { operationId: 'deletePhoneNumber', summary: 'Remove a phone number' },

  'GET /v1/webhook-events': { operationId: 'listWebhookEvents', summary: 'Stored provider events, quarantined ones included' },
  'GET /v1/webhook-events/:id': { operationId: 'getWebhookEvent', summary: 'One stored provider event' },
  'POST /v1/webhook-events/:id/replay': { operationId: 'replayWebhookEvent', summary: 'Replay a stored provider event' },

  'GET /v1/api-keys': { operationId: 'listApiKeys', summary: 'List API keys' },
  'POST /v1/api-keys': { operationId: 'createApiKey', summary: 'Create an API key (shown once)' },
  'POST /v1/api-keys/:id/rotate': { operationId: 'rotateApiKey', summary: 'Rotate an API key, the old one kept for an overlap' },
  'DELETE /v1/api-keys/:id': { operationId: 'revokeApiKey', summary: 'Revoke an API key' },
  'GET /v1/webhook-endpoints': { operationId: 'listWebhookEndpoints', summary: 'List outbound webhook endpoints' },
  'POST /v1/webhook-endpoints': { operationId: 'createWebhookEndpoint', summary: 'Add an outbound webhook endpoint (its secret shown once)' },
  'PATCH /v1/webhook-endpoints/:id': { operationId: 'updateWebhookEndpoint', summary: 'Change or enable/disable an endpoint' },
  'DELETE /v1/webhook-endpoints/:id': { operationId: 'deleteWebhookEndpoint', summary: 'Remove an endpoint' },
  'GET /v1/webhook-endpoints/:id/deliveries': { operationId: 'listWebhookDeliveries', summary: "An endpoint's deliveries with their attempts" },
  'POST /v1/webhook-endpoints/:id/deliveries/:deliveryId/redeliver': { operationId: 'redeliverWebhookDelivery', summary: 'Deliver an event again' },
};
