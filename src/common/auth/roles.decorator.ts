import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const ROLES_METADATA = 'aicall:roles';
export const PUBLIC_METADATA = 'aicall:public';

/** The roles allowed on a route. Every route must say this or @Public(); the guard refuses the rest. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_METADATA, roles);

/** A route anyone may call (health, metrics, docs, OAuth callbacks that carry their own proof). */
export const Public = () => SetMetadata(PUBLIC_METADATA, true);
