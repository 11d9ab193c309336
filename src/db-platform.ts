// Which SQL dialect a MikroORM platform speaks, without loading the other driver to compare with: an `instanceof
// PostgreSqlPlatform` check made every SQLite process (and every CLI command) load the PostgreSQL driver and pg.
import type { Platform } from '@mikro-orm/core';

/** True on PostgreSQL (the driver's own platform class or one derived from it), false on SQLite. */
export function isPostgres(platform: Platform): boolean {
  for (let c = platform.constructor; c && c !== Object; c = Object.getPrototypeOf(c))
    if (c.name === 'PostgreSqlPlatform') return true;
  return false;
}
