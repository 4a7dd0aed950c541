// Tenants as an admin configures them: sender identities and limits, stored in the `tenants` schema.
export * from './tenant-settings';
export { TENANTS_MIGRATIONS, TENANTS_SCHEMA } from './tenants.migrations';
export { TenantsRepository } from './tenants.repository';
