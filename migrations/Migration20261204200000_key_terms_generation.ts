import { Migration } from '@mikro-orm/migrations';

// The key terms' generation: bumped in the transaction of every write that could change what a
// key authenticates as (a key revoked, expired, re-roled or deleted, a partner's slug or status,
// any agreement). An early answer for a remembered key (src/server/early) compares it with the
// generation its key's lookup read, in the answer's own statement, instead of re-reading the
// key, its partner and the agreement in force on every request. `enable always`: the bumps fire
// even in sessions with session_replication_role = replica, so no path that writes escapes them.
const BUMP = 'ecograph_bump_key_terms_generation';

export class Migration20261204200000_key_terms_generation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "key_terms_generation" ("id" int not null default 1, "generation" bigint not null default 0, constraint "key_terms_generation_pkey" primary key ("id"), constraint key_terms_generation_id_check check ((id = 1)));`);
    this.addSql(`insert into "key_terms_generation" ("id", "generation") values (1, 0);`);
    this.addSql(`create function ${BUMP}() returns trigger language plpgsql as $$
      begin
        update key_terms_generation set generation = generation + 1 where id = 1;
        return null;
      end $$;`);
    const triggers: [table: string, name: string, when: string][] = [
      ['api_key', 'api_key_terms_update', `after update on api_key for each row when (
         old.hash is distinct from new.hash or old.role is distinct from new.role or old.partner_id is distinct from new.partner_id
         or old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or old.id is distinct from new.id)`],
      ['api_key', 'api_key_terms_delete', 'after delete on api_key for each statement'],
      ['api_key', 'api_key_terms_truncate', 'after truncate on api_key for each statement'],
      ['partner', 'partner_terms_update', `after update on partner for each row when (
         old.slug is distinct from new.slug or old.status is distinct from new.status or old.id is distinct from new.id)`],
      ['partner', 'partner_terms_delete', 'after delete on partner for each statement'],
      ['partner', 'partner_terms_truncate', 'after truncate on partner for each statement'],
      ['agreement', 'agreement_terms_change', 'after insert or update or delete on agreement for each statement'],
      ['agreement', 'agreement_terms_truncate', 'after truncate on agreement for each statement'],
    ];
    for (const [table, name, when] of triggers) {
      this.addSql(`create trigger "${name}" ${when} execute function ${BUMP}();`);
      this.addSql(`alter table "${table}" enable always trigger "${name}";`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists ${BUMP}() cascade;`);
    this.addSql(`drop table if exists "key_terms_generation" cascade;`);
  }

}
