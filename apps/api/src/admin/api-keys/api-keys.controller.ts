import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { generateApiKey, hashApiKey } from '../../auth/api-key';
import { type ApiKeyRecord, ApiKeysRepository } from '../../auth/api-keys.repository';
import { AdminOnly } from '../../auth/auth.decorators';
import { CreateApiKeyDto } from './create-api-key.dto';
import { ADMIN_TENANT, type Role } from '../../auth/principal';

export interface ApiKeyView {
  readonly id: string;
  readonly role: Role;
  readonly tenantId: string;
  readonly name: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

function view(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    role: record.role,
    tenantId: record.tenantId,
    name: record.name,
    createdAt: record.createdAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@AdminOnly()
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** Mints a key. The response is the only time the key is ever shown. */
  @Post()
  async create(
    @Body() body: CreateApiKeyDto,
  ): Promise<Omit<ApiKeyView, 'revokedAt'> & { key: string }> {
    const key = generateApiKey();
    const record = await this.keys.insert({
      keyHash: hashApiKey(key),
      role: body.role,
      tenantId: body.tenantId ?? ADMIN_TENANT,
      name: body.name ?? null,
    });
    const { id, role, tenantId, name, createdAt } = view(record);
    return { id, key, role, tenantId, name, createdAt };
  }

  /** Every key, revoked ones included; never the key or its hash. */
  @Get()
  async list(): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.keys.list()).map(view) };
  }

  /** Revokes a key; it is refused from the next request on. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param('id') id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.keys.revoke(id))) {
      throw new NotFoundException(`No API key with id ${id}`);
    }
  }
}
