// One email's stream in the event store, as every writer (api handlers, worker) reads and appends it.
export * from './email-stream.mapping';
export * from './email-streams';
export { uuidV5 } from './uuid-v5';
export * from './schedule-streams';
