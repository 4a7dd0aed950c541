import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../auth/current-principal.decorator';
import { CsvImportService } from './csv-import.service';
import { ImportReport } from './import-report.view';

@Controller('v1/emails')
export class ImportController {
  constructor(private readonly importer: CsvImportService) {}

  /**
   * `multipart/form-data`: an optional field `from` (the sender of rows without one; it must come
   * before the file), then the CSV as the part `file`. 200 with `{accepted, rejected, rows, ids}`.
   */
  @Post('import')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ImportReport })
  import(
    @CurrentPrincipal() principal: Principal,
    @Req() request: IncomingMessage,
  ): Promise<ImportReport> {
    return this.importer.importRequest(request, principal);
  }
}
