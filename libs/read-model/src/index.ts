export { migrateReadModel, READ_MODEL_SCHEMA } from './migrator';
export {
  EMAIL_PROJECTION,
  GENERATION_VERSION,
  READ_MODEL_VIEWS,
  createGeneration,
  createGenerationIndexes,
  generationSchema,
} from './generations';
export {
  applyEmailEvents,
  contentBytes,
  type EmailRow,
  type EmailRowStatus,
  type SenderHourlySendsRow,
} from './email-rows';
export {
  CheckpointMovedError,
  applyLiveBatch,
  readProjection,
  rebuildStep,
  requestRebuild,
  takeRebuildRequest,
  toPosition,
  type ProjectionRow,
  type ReadAhead,
  type RebuildStep,
  type RebuildStepResult,
} from './projection';
export {
  LAG_COUNT_CAP,
  listProjectionStatuses,
  readProjectionStatus,
  type ProjectionStatus,
} from './projection-status';
export {
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type RunnerLogger,
} from './projection-runner';
export { countDifferences, replayIntoNewGeneration } from './verify';
export { registerProjectionLagMetrics } from './projection-lag.metrics';
export { countEmailsInDoubt } from './emails-in-doubt';
export { decodeCursor, encodeCursor, type EmailCursor } from './email-cursor';
export { EMAIL_LIST_COLUMNS, listEmailsSql, type EmailFilter } from './list-emails.sql';
export {
  catchUpSchedules,
  dueScheduleIds,
  listSchedules,
  migrateSchedules,
  saveScheduleRow,
  SCHEDULES_SCHEMA,
  toScheduleRow,
  type ScheduleRow,
} from './schedules/schedule-rows';
