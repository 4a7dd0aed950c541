import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { MetricsRegistryModule } from '@app/platform';
import { CommandMetrics } from './command-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** `/metrics`: HTTP requests by route and status, latency, commands by outcome, process metrics. */
@Module({
  imports: [MetricsRegistryModule],
  controllers: [MetricsController],
  providers: [MetricsService, CommandMetrics],
  exports: [MetricsService, MetricsRegistryModule],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
