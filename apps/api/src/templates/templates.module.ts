import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, PostgresModule } from '@app/platform';
import { TemplateRendering } from './template-rendering';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';

/**
 * `/v1/templates` (versions, drafts, publish, preview) and the rendering every way of scheduling uses, which
 * it exports. At start: migrates the `templates` schema.
 */
@Module({
  imports: [PostgresModule],
  controllers: [TemplatesController],
  providers: [
    TemplateRendering,
    {
      provide: TemplatesRepository,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new TemplatesRepository(pool),
    },
  ],
  exports: [TemplateRendering],
})
export class TemplatesModule implements OnModuleInit {
  constructor(private readonly templates: TemplatesRepository) {}

  onModuleInit(): Promise<void> {
    return this.templates.migrate();
  }
}
