import { Module } from '@nestjs/common';
import { RedisModule } from '@app/platform';
import { RedisClock } from './redis-clock';

@Module({
  imports: [RedisModule],
  providers: [RedisClock],
  exports: [RedisClock],
})
export class RedisClockModule {}
