// Typed domain errors: thrown by the domain and services, mapped to HTTP / CLI exit codes in exactly one place each.
import { spellOutControls } from './printable';

export type FieldErrors = Record<string, string>;

/**
 * Messages quote user input through printable(); as a second line of defence every message (and every field name
 * and field message of a ValidationError) is stored with control characters spelled out, so none reaches a terminal.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(message?: string) {
    super(spellOutControls(message ?? ''));
  }
}

function cleanFields(fields: FieldErrors): FieldErrors {
  // fromEntries defines own properties: a field named "__proto__" (a JSON body's key) stays a field, not a prototype.
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [spellOutControls(k), spellOutControls(v)]));
}

/** Input broke one or more field rules; `fields` maps each field to a message a person can act on. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  readonly fields: FieldErrors;
  constructor(fields: FieldErrors, message?: string) {
    const clean = cleanFields(fields);
    super(
      message ??
        Object.entries(clean)
          .map(([f, m]) => `${f}: ${m}`)
          .join('; '),
    );
    this.fields = clean;
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** Who points at an object, for a link on screens: the referrer's kind and id, its name and the field. */
export interface ReferrerLink {
  kind: string;
  id: number;
  label: string;
  field: string;
}

/** The change would break something that exists (duplicate, still referenced, ...). `referrers` lists who points at it. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly referrers: string[] = [],
    /** The same referrers with kind and id (empty when the conflict is not about references). */
    readonly links: ReferrerLink[] = [],
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

/** An uploaded audio file that cannot be used, with what to upload instead; shown next to the file field. */
export class AudioRejectedError extends ValidationError {
  override name = 'AudioRejectedError';
  constructor(message: string) {
    super({ file: message }, message);
  }
}

/** An upload over its byte limit, stopped while it arrived (HTTP 413); shown next to the file field. */
export class UploadTooLargeError extends ValidationError {
  override name = 'UploadTooLargeError';
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super({ file: message }, message);
  }
}

/** An upload that stopped arriving (HTTP 408): the client went quiet mid-file. */
export class UploadStalledError extends DomainError {
  override name = 'UploadStalledError';
}
