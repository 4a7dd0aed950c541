import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../auth/current-principal.decorator';
import { CsvImportService, TooManyImports } from './csv-import.service';
import { ImportReport } from './import-report.view';

@Controller('v1/emails')
export class ImportController {
  constructor(private readonly importer: CsvImportService) {}

  /**
   * `multipart/form-data`: an optional field `from` (the sender of rows without one; it must come
   * before the file), then the CSV as the part `file`. 200 with `{accepted, rejected, rows, ids}`;
   * 413 past a limit on bytes or parts, 408 past IMPORT_TIMEOUT_MS, 429 (Retry-After) while the
   * key runs IMPORTS_PER_KEY imports already.
   */
  @Post('import')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ImportReport })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Req() request: IncomingMessage,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ImportReport> {
    try {
      return await this.importer.importRequest(request, principal);
    } catch (error) {
      if (error instanceof TooManyImports) {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      // The rest of the body is not read: the connection closes once the answer is sent, so a
      // client cannot keep it (and its slot in the server) by dribbling bytes.
      response.setHeader('Connection', 'close');
      throw error;
    }
  }
}
