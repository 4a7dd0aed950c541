export { REDIS_CLIENT, RedisModule, closeRedisClient, createRedisClient } from './redis.module';
