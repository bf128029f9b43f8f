// Who may do what. Reads: anyone when AUTH_MODE=open, VIEWER when required.
// Every mutation: EDITOR (or the role named in MUTATION_ROLES). The answers
// never say whether a presented key exists.
import { hasRole, type Role } from './keys';
import type { Caller } from './store';

export type AuthMode = 'open' | 'required';

export const UNAUTHENTICATED_MESSAGE = 'A valid API key is required (Authorization: Bearer <key>)';

/** Refused access: no usable key (UNAUTHENTICATED) or too low a role (FORBIDDEN). */
export class AccessError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

export function requireRole(caller: Caller | null, role: Role): Caller {
  if (!caller) throw new AccessError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
  if (!hasRole(caller.role, role)) throw new AccessError('FORBIDDEN', `This needs the ${role} role`);
  return caller;
}

/** Checks a read: open to all in open mode, VIEWER in required mode. */
export function requireRead(caller: Caller | null, mode: AuthMode): void {
  if (mode === 'required') requireRole(caller, 'VIEWER');
}
