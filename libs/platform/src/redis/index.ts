export {
  REDIS_CLIENT,
  RedisModule,
  closeRedisClient,
  createRedisClient,
  redisConnectionOptions,
  type RedisClientOptions,
} from './redis.module';
export {
  REDIS_URL_FORMS,
  RedisUrlError,
  parseRedisUrl,
  type RedisConnectionOptions,
} from './redis-url';
