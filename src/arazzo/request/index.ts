export { buildAdoptRequest } from './adopt-request.js';
export { describeRequest } from './describe.js';
export {
  buildHttpRequest,
  type HttpRequestSpec,
  type RequestBodyInput,
  type RequestParameterInput,
} from './serialize.js';
export {
  buildExtensionRequest,
  buildStepRequest,
  requestView,
  resolveRequestBody,
  resolveStepParameters,
  type Built,
  type ResolvedParameter,
} from './step-request.js';
