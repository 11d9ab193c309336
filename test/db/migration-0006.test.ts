// Migration 0006 on a database that already holds call records (stored before it): each row gets its disposition and
// outside number derived from what it held, with the intake's rules (NANP as 10 digits, 011 dropped).
import { MikroORM } from '@mikro-orm/core';
import { expect } from 'chai';
import { ormOptions } from '../../src/db';
import { forEachEngine, freshPostgresDatabase } from '../helpers/databases';

forEachEngine('migration 0006 on existing call records', (engine) => {
  let orm: MikroORM;
  after(() => orm?.close(true));

  it('derives disposition, outside number and normalised phone number for the rows already there', async () => {
    const url = engine.name === 'postgresql' ? await freshPostgresDatabase() : null;
    orm = await MikroORM.init(await ormOptions({ url, sqlitePath: ':memory:' }));
    await orm.getMigrator().up({ to: '0002-audio-file-unique-name' });
    const c = orm.em.getConnection();
    const t = (iso: string) => (url ? iso : Date.parse(iso));
    const row = (
      uuid: string,
      direction: string,
      caller: string,
      dest: string,
      phone: string | null,
      cause: string,
      answered: boolean,
    ) =>
      c.execute(
        'insert into call_record (pbx_id, uuid, direction, caller_number, caller_name, destination, extension_number, phone_number, started_at, answered_at, ended_at, duration_sec, bill_sec, hangup_cause) values (1, ?, ?, ?, null, ?, null, ?, ?, ?, ?, 60, 50, ?)',
        [
          uuid,
          direction,
          caller,
          dest,
          phone,
          t('2026-03-08T12:00:00Z'),
          answered ? t('2026-03-08T12:00:10Z') : null,
          t('2026-03-08T12:01:00Z'),
          cause,
        ],
        'run',
      );
    await row('a', 'inbound', '17735550199', '13125551000', '13125551000', 'NORMAL_CLEARING', true);
    await row('b', 'outbound', '201', '011442079460958', null, 'USER_BUSY', false);
    await row('c', 'local', '201', '202', null, 'NO_ANSWER', false);
    await row('d', 'inbound', 'anonymous', '3125551000', '3125551000', 'CALL_REJECTED', false);
    await row('e', 'inbound', '12345678901234567890', '3125551000', '3125551000', 'NORMAL_CLEARING', true);
    await orm.getMigrator().up();
    const rows = (await c.execute(
      'select uuid, disposition, remote_number, phone_number from call_record order by uuid',
    )) as Array<Record<string, unknown>>;
    expect(rows).to.deep.equal([
      { uuid: 'a', disposition: 'answered', remote_number: '7735550199', phone_number: '3125551000' },
      { uuid: 'b', disposition: 'busy', remote_number: '442079460958', phone_number: null },
      { uuid: 'c', disposition: 'no_answer', remote_number: null, phone_number: null },
      { uuid: 'd', disposition: 'failed', remote_number: null, phone_number: '3125551000' },
      { uuid: 'e', disposition: 'answered', remote_number: null, phone_number: '3125551000' },
    ]);
  });
});
