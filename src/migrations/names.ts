// The names of the committed migrations, in order, without their code: db.ts compares them with the migrations table
// and loads the migrator only when one has not run. test/db/migrations.test.ts keeps this list equal to index.ts's.
export const MIGRATION_NAMES: readonly string[] = [
  '0001-initial',
  '0002-audio-file-unique-name',
  '0003-portal-sessions-audit',
  '0004-api-tokens',
  '0005-audio-file-details',
  '0006-activity',
  '0008-services-part-two',
  '0009-services-part-b',
  '0010-mailbox-delete-after-email',
  '0011-pbx-change-log',
  '0012-device-row-version',
];
