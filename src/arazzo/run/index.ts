export type { CarriedRunData } from './arguments.js';
export type { Blocking } from './conflict-wait.js';
export type { RunStatus } from './status-projection.js';
export type { RunView } from './status-projection.js';
