import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import { forbidden, invalidParams } from './gitlab-errors.ts';
import type { Store } from './store.ts';

/** The instance settings gitlab-lite honours, with GitLab's defaults (doc/api/settings.md). */
const defaults = {
  allow_local_requests_from_web_hooks_and_services: false,
  allow_local_requests_from_system_hooks: true,
  push_event_hooks_limit: 3,
  push_event_activities_limit: 3,
};

export type SettingName = keyof typeof defaults;
type Settings = { -readonly [K in SettingName]: (typeof defaults)[K] };

export function readSetting<K extends SettingName>(store: Store, name: K): Settings[K] {
  const row = store.prepare('SELECT value FROM application_settings WHERE name = ?').get(name) as
    { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Settings[K]) : defaults[name];
}

export function writeSetting<K extends SettingName>(store: Store, name: K, value: Settings[K]) {
  store
    .prepare(
      'INSERT INTO application_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    )
    .run(name, JSON.stringify(value));
}

const allSettings = (store: Store) =>
  Object.fromEntries(
    (Object.keys(defaults) as SettingName[]).map((name) => [name, readSetting(store, name)]),
  ) as Settings;

const booleanOf = (v: unknown) =>
  v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;

/** `GET/PUT /application/settings` (admin only), for the settings above; others are not kept. */
export function registerApplicationSettingRoutes(server: FastifyInstance, store: Store) {
  const admin = (request: Parameters<typeof requireCaller>[1]) => {
    if (!requireCaller(store, request).isAdmin) throw forbidden();
  };

  server.get('/api/v4/application/settings', async (request) => {
    admin(request);
    return allSettings(store);
  });

  server.put('/api/v4/application/settings', async (request) => {
    admin(request);
    const given = { ...(request.query as object), ...((request.body ?? {}) as object) } as Record<
      string,
      unknown
    >;
    for (const name of Object.keys(defaults) as SettingName[]) {
      if (!(name in given)) continue;
      const wanted = typeof defaults[name] === 'boolean' ? booleanOf(given[name]) : Number(given[name]);
      if (wanted === undefined || (typeof wanted === 'number' && !(Number.isInteger(wanted) && wanted >= 0)))
        throw invalidParams(`${name} is invalid`);
      writeSetting(store, name, wanted as never);
    }
    return allSettings(store);
  });
}
