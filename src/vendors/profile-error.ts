// The one error a broken firmware profile raises: names the file and the field so start-up fails with a usable message.

export class ProfileError extends Error {
  override name = 'ProfileError';
  constructor(
    /** Path of the offending JSON file (or the directory when the problem is the set as a whole). */
    readonly file: string,
    /** Dotted field path inside the profile, e.g. "firmware.version"; "(json)" / "(file)" for unreadable files. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`firmware profile ${file}: ${field}: ${problem}`);
  }
}
