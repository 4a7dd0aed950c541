import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../../auth/current-principal.decorator';
import { CsvImportService, type ImportReport } from './csv-import.service';

@Controller('v1/emails')
export class ImportController {
  constructor(private readonly importer: CsvImportService) {}

  /**
   * `multipart/form-data`: an optional field `from` (the sender of rows without one; it must come
   * before the file), then the CSV as the part `file`. 200 with `{accepted, rejected, rows, ids}`.
   */
  @Post('import')
  @HttpCode(HttpStatus.OK)
  import(
    @CurrentPrincipal() principal: Principal,
    @Req() request: IncomingMessage,
  ): Promise<ImportReport> {
    return this.importer.importRequest(request, principal.tenantId);
  }
}
