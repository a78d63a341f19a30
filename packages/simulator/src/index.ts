export { signTwilioForm, encodeForm } from './twilio-signing';
export { deliverTwilioWebhook, type TwilioDelivery } from './twilio-webhooks';
export { createSimulator, startSimulator, type Simulator, type SimAccount, type SimRecording } from './simulator';
export { SimState, type ServedMedia } from './sim-state';
export { createWavStream, createMp3Stream, planSpeech, talkSeconds, type SpeechSegment } from './audio/index';
export { deliverVapiWebhook, type VapiCredential } from './vapi-webhooks';
export { SimVapiState, type SimVapiCall, type SimVapiOrg } from './vapi-api';
export { registerDeepgramApi, DEEPGRAM_SIM_SCRIPT, type DeepgramApiOptions } from './deepgram-api';
export { registerChatCompletionsApi, SimModelServer, type ModelFault } from './chat-completions-api';
