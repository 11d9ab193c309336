// The committed migrations, in order. Each holds SQL for both SQLite and PostgreSQL; test/db checks they match the entities.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial';

export const MIGRATIONS: MigrationObject[] = [{ name: '0001-initial', class: Migration0001Initial }];
