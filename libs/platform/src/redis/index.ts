export {
  BULLMQ_PREFIX,
  REDIS_CLIENT,
  RedisModule,
  bullMqConnection,
  closeRedisClient,
  createRedisClient,
  redisConnectionOptions,
  redisServerFor,
  redisServers,
  type RedisClient,
  type RedisClientOptions,
} from './redis.module';
export {
  REDIS_URL_FORMS,
  RedisUrlError,
  parseRedisUrl,
  type RedisConnectionOptions,
} from './redis-url';
export { SEND_QUEUE, leaseJobId, sendJobId, sendQueueKey } from './send-queue-names';
