// Belt and braces after domain validation: values put into FreeSWITCH data are reduced to characters it never interprets.
// FreeSWITCH expands ${…} and $${…}, splits application data on | , and ^^, and reads quotes and braces in dial strings.

const FS_UNSAFE = /[$@{}|,^'"<>\\`;[\]\u0000-\u001f\u007f\u2028\u2029]/g;

/** Free text (names, caller-ID names): unsafe characters become spaces, length capped. */
export function fsText(value: string, max = 50): string {
  return value.replace(FS_UNSAFE, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Dialable strings: digits, * and # only; anything else is dropped. */
export function fsDigits(value: string): string {
  return value.replace(/[^0-9*#]/g, '');
}

/** Identifiers (contexts, slugs): a-z 0-9 _ - . only. */
export function fsId(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, '');
}

/** A regular expression that matches exactly this literal dial string. */
export function exactRegex(literal: string): string {
  return `^${literal.replace(/[*#.+?()[\]{}|^$\\]/g, (c) => `\\${c}`)}$`;
}

/** Host names (SIP domains): letters, digits, dots and hyphens only. */
export function fsHost(value: string): string {
  return value.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();
}

const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** One plain email address, or null: a list, a display name or anything FreeSWITCH could expand is refused whole. */
export function fsEmail(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return v.length <= 254 && EMAIL.test(v) ? v : null;
}

/** Secrets put into directory params (SIP and mailbox passwords): letters and digits only. */
export function fsSecret(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '');
}
