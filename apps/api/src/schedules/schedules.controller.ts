import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { validationFailed } from '../common/validation';
import { CreateScheduleDto } from './dto/create-schedule.dto';
import { DEFAULT_SCHEDULE_PAGE, ListSchedulesQueryDto } from './dto/list-schedules-query.dto';
import { ScheduleHandlers } from './schedule.handlers';
import { ScheduleHistoryView, ScheduleList, ScheduleView } from './schedule.view';

const scheduleId = (): ParseUUIDPipe =>
  new ParseUUIDPipe({
    version: undefined,
    exceptionFactory: () => validationFailed([{ field: 'id', reason: 'must be a UUID' }]),
  });

/**
 * `/v1/schedules`: recurring sends (ADR 0009). Each schedule is its own stream; the worker's occurrence
 * runner turns each occurrence into one email (listed by GET /v1/emails?scheduleId=). A sender key sees its
 * own tenant's schedules only; another tenant's is a 404.
 */
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly handlers: ScheduleHandlers) {}

  @Post()
  @ApiCreatedResponse({ type: ScheduleView })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateScheduleDto,
  ): Promise<ScheduleView> {
    return this.handlers.create(principal, body);
  }

  /** The caller's tenant's schedules, newest first. */
  @Get()
  @ApiOkResponse({ type: ScheduleList })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListSchedulesQueryDto,
  ): Promise<ScheduleList> {
    return this.handlers.list(principal, query.cursor, query.limit ?? DEFAULT_SCHEDULE_PAGE);
  }

  @Get(':id')
  @ApiOkResponse({ type: ScheduleView })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', scheduleId()) id: string,
  ): Promise<ScheduleView> {
    return this.handlers.get(principal, id);
  }

  /** The schedule stream's events, oldest first. */
  @Get(':id/history')
  @ApiOkResponse({ type: ScheduleHistoryView })
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', scheduleId()) id: string,
  ): Promise<ScheduleHistoryView> {
    return this.handlers.history(principal, id);
  }

  /** No occurrence is created while paused; 409 unless active. */
  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ScheduleView })
  pause(
    @CurrentPrincipal() principal: Principal,
    @Param('id', scheduleId()) id: string,
  ): Promise<ScheduleView> {
    return this.handlers.act(principal, id, 'pause');
  }

  /** Occurrences that fell while paused are not made up for; 409 unless paused. */
  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ScheduleView })
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', scheduleId()) id: string,
  ): Promise<ScheduleView> {
    return this.handlers.act(principal, id, 'resume');
  }

  /** Ends the schedule for good (its history stays); emails already created are not touched. */
  @Delete(':id')
  @ApiOkResponse({ type: ScheduleView })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', scheduleId()) id: string,
  ): Promise<ScheduleView> {
    return this.handlers.act(principal, id, 'delete');
  }
}
