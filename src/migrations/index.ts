// The committed migrations, in order. Each holds SQL for both SQLite and PostgreSQL; test/db checks they match the entities.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial';
import { Migration0002AudioFileUniqueName } from './0002-audio-file-unique-name';
import { Migration0003PortalSessionsAudit } from './0003-portal-sessions-audit';
import { Migration0004ApiTokens } from './0004-api-tokens';
import { Migration0005AudioFileDetails } from './0005-audio-file-details';
import { Migration0006Activity } from './0006-activity';
import { Migration0008ServicesPartTwo } from './0008-services-part-two';
import { Migration0009ServicesPartB } from './0009-services-part-b';
import { Migration0010MailboxDeleteAfterEmail } from './0010-mailbox-delete-after-email';
import { Migration0011PbxChangeLog } from './0011-pbx-change-log';
import { Migration0012DeviceRowVersion } from './0012-device-row-version';

export const MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0002-audio-file-unique-name', class: Migration0002AudioFileUniqueName },
  { name: '0003-portal-sessions-audit', class: Migration0003PortalSessionsAudit },
  { name: '0004-api-tokens', class: Migration0004ApiTokens },
  { name: '0005-audio-file-details', class: Migration0005AudioFileDetails },
  { name: '0006-activity', class: Migration0006Activity },
  { name: '0008-services-part-two', class: Migration0008ServicesPartTwo },
  { name: '0009-services-part-b', class: Migration0009ServicesPartB },
  { name: '0010-mailbox-delete-after-email', class: Migration0010MailboxDeleteAfterEmail },
  { name: '0011-pbx-change-log', class: Migration0011PbxChangeLog },
  { name: '0012-device-row-version', class: Migration0012DeviceRowVersion },
];
