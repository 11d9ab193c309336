// Typed domain errors: thrown by the domain and services, mapped to HTTP / CLI exit codes in exactly one place each.

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

/** The change would break something that exists (duplicate, still referenced, ...). `referrers` lists who points at it. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly referrers: string[] = [],
  ) {
    super(referrers.length ? `${message}: ${referrers.join(', ')}` : message);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** Something the answer depends on (FreeSWITCH, a file host) did not answer; trying again later may work. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}
