import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';
export const IS_ADMIN_ONLY = 'auth:adminOnly';
export const IS_SIGN_IN = 'auth:signIn';

/** The route (or every route of the controller) needs no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route (or controller) needs an admin key; a sender key gets 403. Every path under
 * `/v1/admin` is admin-only whether or not it carries this decorator.
 */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(IS_ADMIN_ONLY, true);

/** The route signs someone in: it also counts against the small per-address sign-in limit. */
export const SignIn = (): MethodDecorator => SetMetadata(IS_SIGN_IN, true);
