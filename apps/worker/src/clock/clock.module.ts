import { Module } from '@nestjs/common';
import { RedisModule } from '@app/platform';
import { Clock } from './clock';

@Module({
  imports: [RedisModule],
  providers: [Clock],
  exports: [Clock],
})
export class ClockModule {}
