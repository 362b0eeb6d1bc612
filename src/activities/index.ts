/** The activities' public surface: the operation-call activity and its helpers. */
export { createHttpActivities, retryAfterMs } from './http.js';
export type { HttpActivityDeps, HttpActivityInput, HttpActivityLogger, HttpActivityResult } from './http.js';
export { chooseAdoptable, isRunningConflict, serverMessage } from './adopt.js';
export type { AdoptionChoice } from './adopt.js';

export { createAuthorizer, refreshDelaySeconds } from './auth.js';
export type { Authorizer, AuthorizerDeps } from './auth.js';
export { createRedactor, secretsOfConnections, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';
