// Typed errors raised while rendering provisioning files: bad PhoneConfig input, broken templates, unknown time zones.

/** The PhoneConfig (or bootstrap input) cannot be rendered safely; `fields` maps a dotted field path to a message. */
export class PhoneConfigError extends Error {
  readonly fields: Readonly<Record<string, string>>;
  constructor(fields: Record<string, string>) {
    super(
      `invalid phone configuration: ${Object.entries(fields)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ')}`,
    );
    this.name = 'PhoneConfigError';
    this.fields = Object.freeze({ ...fields });
  }
}

/** A provisioning template is missing or produced something that is not a `name = value` list. A bug in templates/. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}
