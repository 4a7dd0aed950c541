export {
  EventStoreHealthIndicator,
  PostgresHealthIndicator,
  RedisHealthIndicator,
} from './health-indicators';
export {
  DEFAULT_PROBE_TIMEOUT_MS,
  probeEventStore,
  probePostgres,
  probeRedis,
  waitForRedis,
  withTimeout,
} from './probes';
