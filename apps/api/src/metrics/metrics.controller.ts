import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { bearerToken, hashApiKey, hashesMatch } from '../auth/api-key';
import { Public } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

/**
 * Prometheus's scrape endpoint on the api's public port: the text exposition format, for the
 * bearer of METRICS_TOKEN only (not an API key: a scraper needs no tenant). Without METRICS_TOKEN
 * it is not served at all: route names, command counts and the process's figures say too much.
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly tokenHash: Buffer | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokenHash =
      config.metricsToken === undefined ? undefined : hashApiKey(config.metricsToken);
  }

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(
    @Req() request: IncomingMessage,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<string> {
    if (this.tokenHash === undefined) throw new NotFoundException('Cannot GET /metrics');
    const token = bearerToken(request.headers.authorization);
    // Hashes of equal length, compared in constant time: the token's length and prefix stay hidden.
    if (token === undefined || !hashesMatch(hashApiKey(token), this.tokenHash)) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('expected Authorization: Bearer <METRICS_TOKEN>');
    }
    return this.metrics.render();
  }
}
