export { StateEngine, type EngineOptions } from './engine.ts';
export { StateError, type StateErrorCode } from './errors.ts';
export { scopedTable } from './scoped-table.ts';
export type { Durability } from './journal.ts';
export type { LogLevel, Logger } from './logger.ts';
export type * from './types.ts';
