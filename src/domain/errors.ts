// Typed domain errors: thrown by the domain and services, mapped to HTTP / CLI exit codes in exactly one place each.
import type { Referrer } from './references';

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  override name = 'DomainError';
}

/** Input broke one or more field rules; `fields` maps each field to a message a person can act on. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    readonly fields: FieldErrors,
    message?: string,
  ) {
    super(
      message ??
        Object.entries(fields)
          .map(([f, m]) => `${f}: ${m}`)
          .join('; '),
    );
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/**
 * The change would break something that exists (duplicate, still referenced, ...). `referrers` lists who points at it
 * in words; `referringObjects` the same as objects (list, id, label, field) for screens and the API to link to.
 */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly referrers: string[] = [],
    readonly referringObjects: readonly Referrer[] = [],
  ) {
    super(referrers.length ? `${message}: ${referrers.join(', ')}` : message);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}
