// What the client has subscribed to, so the same `event ...` command can be replayed on every new session.

import { EslError } from './errors';
import type { EslEventFormat } from './event';

// Event names and CUSTOM subclasses: words like CHANNEL_ANSWER, sofia::register, conference::maintenance.
const EVENT_WORD = /^[A-Za-z0-9_.:-]{1,64}$/;

export class EventSubscriptions {
  /** One format per connection, as in mod_event_socket: the last one asked for wins. */
  format: EslEventFormat = 'plain';
  private readonly names = new Set<string>();
  private readonly subclasses = new Set<string>();

  /** Adds ESL words (`CHANNEL_ANSWER`, `CUSTOM sofia::register ...`); throws EslError for anything not a word. */
  add(words: readonly string[], format: EslEventFormat): void {
    if (words.length === 0) throw new EslError('subscribe needs at least one event name');
    for (const word of words) {
      if (!EVENT_WORD.test(word)) throw new EslError(`not an event name: ${JSON.stringify(word.slice(0, 80))}`);
    }
    let custom = false;
    for (const word of words) {
      if (custom) this.subclasses.add(word);
      else if (word.toUpperCase() === 'CUSTOM') custom = true;
      else this.names.add(word.toUpperCase());
    }
    this.format = format;
  }

  get isEmpty(): boolean {
    return this.names.size === 0 && this.subclasses.size === 0;
  }

  /** Whether events named `name` already arrive (explicitly or through ALL). */
  covers(name: string): boolean {
    return this.names.has('ALL') || this.names.has(name);
  }

  /** `event <format> A B [CUSTOM sub::a sub::b]`: CUSTOM must come last, every word after it is a subclass. */
  command(): string {
    const words = [...this.names];
    if (this.subclasses.size) words.push('CUSTOM', ...this.subclasses);
    return `event ${this.format} ${words.join(' ')}`;
  }
}
