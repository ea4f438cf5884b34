/** Rules DSL120–DSL126 (serializer, placeholders, credentials) and DSL301–DSL307 (DATABASES). */
import type { Rule } from './framework';
import dsl120 from './dsl120-pickle-serializer';
import dsl121 from './dsl121-signed-cookies-pickle';
import dsl122 from './dsl122-json-serializer-old-horizon';
import dsl123 from './dsl123-documentation-placeholder';
import dsl124 from './dsl124-credential-in-settings';
import dsl125 from './dsl125-module-level-conn-max-age';
import dsl126 from './dsl126-loopback-session-cache';
import dsl301 from './dsl301-unknown-database-key';
import dsl302 from './dsl302-databases-without-default';
import dsl303 from './dsl303-database-sessions-without-database';
import dsl304 from './dsl304-sessions-app-missing';
import dsl305 from './dsl305-mysql-utf8-charset';
import dsl306 from './dsl306-sqlite-session-database';
import dsl307 from './dsl307-unknown-database-engine';

export const SERIALIZER_DB_RULES: readonly Rule[] = [
  dsl120,
  dsl121,
  dsl122,
  dsl123,
  dsl124,
  dsl125,
  dsl126,
  dsl301,
  dsl302,
  dsl303,
  dsl304,
  dsl305,
  dsl306,
  dsl307,
];
