import { randomUUID } from 'node:crypto';
import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { validationFailed } from '../common/validation';
import {
  CreateTemplateDto,
  DEFAULT_TEMPLATE_PAGE_SIZE,
  ListTemplatesQueryDto,
  PreviewTemplateDto,
  TemplateVersionDto,
  UpdateTemplateVersionDto,
} from './dto/template.dto';
import {
  TemplateDetailView,
  TemplatePage,
  TemplatePreviewView,
  TemplateVersionView,
  toTemplateView,
  toVersionView,
} from './template.view';
import { TemplateRendering, checkTemplateSyntax } from './template-rendering';
import {
  TemplatesRepository,
  type DraftRefusal,
  type VersionRow,
  type VersionSource,
} from './templates.repository';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => validationFailed([{ field: 'id', reason: 'must be a UUID' }]),
});
const versionNumber = new ParseIntPipe({
  exceptionFactory: () =>
    validationFailed([{ field: 'version', reason: 'must be a version number from 1' }]),
});

const notFound = (): NotFoundException => new NotFoundException('no such template');

function sourceOf(body: TemplateVersionDto): VersionSource {
  const source = { subject: body.subject, text: body.text ?? null, html: body.html ?? null };
  checkTemplateSyntax(source);
  return source;
}

/** A refused draft change: 404 for no such version, 409 for a published one (which never changes). */
function draftChanged(result: VersionRow | DraftRefusal, version: number): TemplateVersionView {
  if (result === 'not-found') throw notFound();
  if (result === 'published') {
    throw new ConflictException(
      `version ${version} is published and never changes; add a new version instead`,
    );
  }
  return toVersionView(result);
}

/**
 * `/v1/templates`: the caller's tenant's templates (Liquid, docs/adr/0010-templates-liquid.md). A template has
 * numbered versions; drafts are edited, a published version never changes, and an email pins the version it
 * was scheduled with. Another tenant's template is as unknown as a missing one (404).
 */
@Controller('v1/templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly rendering: TemplateRendering,
  ) {}

  /** 201 with the template and its version 1, a draft. */
  @Post()
  @ApiCreatedResponse({ type: TemplateDetailView })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTemplateDto,
  ): Promise<TemplateDetailView> {
    const source = sourceOf(body);
    const row = await this.templates.create(randomUUID(), principal.tenantId, body.name, source);
    return {
      ...toTemplateView(row),
      versions: (await this.templates.versions(row.id)).map(toVersionView),
    };
  }

  /** Newest first; keyset-paged by `nextCursor`. */
  @Get()
  @ApiOkResponse({ type: TemplatePage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListTemplatesQueryDto,
  ): Promise<TemplatePage> {
    const page = await this.templates.list(
      principal.tenantId,
      query.cursor,
      query.limit ?? DEFAULT_TEMPLATE_PAGE_SIZE,
    );
    if (page === undefined) {
      throw validationFailed([{ field: 'cursor', reason: "must be a previous page's nextCursor" }]);
    }
    return { items: page.items.map(toTemplateView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: TemplateDetailView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<TemplateDetailView> {
    const row = await this.templates.get(principal.tenantId, id);
    if (row === undefined) throw notFound();
    return {
      ...toTemplateView(row),
      versions: (await this.templates.versions(id)).map(toVersionView),
    };
  }

  /** 204: gone for new emails; those already scheduled keep the content rendered for them. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<void> {
    if (!(await this.templates.delete(principal.tenantId, id))) throw notFound();
  }

  /** 201 with a new draft, numbered after the highest version. */
  @Post(':id/versions')
  @ApiCreatedResponse({ type: TemplateVersionView })
  async addVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: TemplateVersionDto,
  ): Promise<TemplateVersionView> {
    const row = await this.templates.addVersion(principal.tenantId, id, sourceOf(body));
    if (row === undefined) throw notFound();
    return toVersionView(row);
  }

  @Get(':id/versions/:version')
  @ApiOkResponse({ type: TemplateVersionView })
  async getVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('version', versionNumber) version: number,
  ): Promise<TemplateVersionView> {
    const row = await this.templates.version(principal.tenantId, id, version);
    if (row === undefined) throw notFound();
    return toVersionView(row);
  }

  /** A draft's parts given replace its own (null removes text or html); 409 for a published version. */
  @Patch(':id/versions/:version')
  @ApiOkResponse({ type: TemplateVersionView })
  async updateVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('version', versionNumber) version: number,
    @Body() body: UpdateTemplateVersionDto,
  ): Promise<TemplateVersionView> {
    const current = await this.templates.version(principal.tenantId, id, version);
    if (current === undefined) throw notFound();
    const source = sourceOf({
      subject: body.subject ?? current.subject,
      text: body.text === undefined ? current.text : body.text,
      html: body.html === undefined ? current.html : body.html,
    });
    return draftChanged(
      await this.templates.updateDraft(principal.tenantId, id, version, source),
      version,
    );
  }

  /** The version becomes immutable and the default for emails that name no version; 409 if it already is. */
  @Post(':id/versions/:version/publish')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TemplateVersionView })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('version', versionNumber) version: number,
  ): Promise<TemplateVersionView> {
    return draftChanged(await this.templates.publish(principal.tenantId, id, version), version);
  }

  /** What an email would say with these variables, without scheduling one; drafts too. */
  @Post(':id/preview')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TemplatePreviewView })
  async preview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: PreviewTemplateDto,
  ): Promise<TemplatePreviewView> {
    const row =
      body.version === undefined
        ? await this.templates.latestPublished(principal.tenantId, id)
        : await this.templates.version(principal.tenantId, id, body.version);
    if (row === undefined) {
      if (body.version === undefined && (await this.templates.get(principal.tenantId, id))) {
        throw validationFailed([
          { field: 'version', reason: 'is required while no version is published' },
        ]);
      }
      throw notFound();
    }
    return this.rendering.preview(row, body.variables ?? {});
  }
}
