// The Add/Edit connection form's values, its checks and the `ProfileDraft` it sends. The checks
// mirror the back end's (crates/core/src/connection.rs) so most mistakes show up beside the field;
// the back end still checks everything and its message is shown when it disagrees.
// Secrets are not part of these values: the form reads them straight from their inputs on save.
import type {
  ApiKeyStyle,
  ClientAuth,
  ConnectionKind,
  OoapiTransport,
  Profile,
  ProfileDraft,
  ProfileSettings,
  SecretField,
  SecretStatus,
  TokenType,
} from '../bindings';

export type ProxyMode = 'system' | 'none' | 'manual';

/** Every kind keeps its own fields, so switching kind while adding does not throw typing away. */
export interface ConnectionFormValues {
  /** Null until the person picks one (adding); fixed when editing. */
  kind: ConnectionKind | null;
  name: string;
  openedx: {
    base_url: string;
    client_id: string;
    token_type: TokenType;
    client_auth: ClientAuth;
    scopes: string[];
    providers: string[];
  };
  openlearning: { base_url: string; institution_id: string; api_key_style: ApiKeyStyle };
  ooapi: {
    schac_home: string;
    persons_url: string;
    associations_url: string;
    token_url: string;
    client_id: string;
    scopes: string[];
    audience: string;
    introspection_url: string;
    introspection_client_id: string;
    /** How the home institution is reached: its endpoints directly, or the host's enrollment receiver. */
    transport: OoapiTransport;
    receiver_url: string;
    receiver_user: string;
    /** NumberInput gives '' while the box is empty. */
    stuck_after_hours: number | string;
    /** Our SIS backend, for the endpoint check's SIS answer check. */
    sis_url: string;
    /** Set by the CLI only (the variable holding the introspection secret); kept as it was. */
    introspection_secret_env: string;
  };
  network: {
    proxy_mode: ProxyMode;
    proxy_url: string;
    proxy_bypass: string;
    extra_ca_file: string;
    /** NumberInput gives '' while the box is empty. */
    connect_timeout_secs: number | string;
    total_timeout_secs: number | string;
  };
}

export const DEFAULT_CONNECT_TIMEOUT_SECS = 10;
export const DEFAULT_TOTAL_TIMEOUT_SECS = 60;
export const MAX_NAME_LENGTH = 80;
/** A pending association older than this is flagged "stuck" (the back end's default). */
export const DEFAULT_STUCK_AFTER_HOURS = 72;

export function emptyFormValues(kind: ConnectionKind | null = null): ConnectionFormValues {
  return {
    kind,
    name: '',
    openedx: { base_url: '', client_id: '', token_type: 'jwt', client_auth: 'basic', scopes: [], providers: [] },
    openlearning: { base_url: '', institution_id: '', api_key_style: 'header' },
    ooapi: {
      schac_home: '',
      persons_url: '',
      associations_url: '',
      token_url: '',
      client_id: '',
      scopes: [],
      audience: '',
      introspection_url: '',
      introspection_client_id: '',
      transport: 'direct',
      receiver_url: '',
      receiver_user: 'sis',
      stuck_after_hours: DEFAULT_STUCK_AFTER_HOURS,
      sis_url: '',
      introspection_secret_env: '',
    },
    network: {
      proxy_mode: 'system',
      proxy_url: '',
      proxy_bypass: '',
      extra_ca_file: '',
      connect_timeout_secs: DEFAULT_CONNECT_TIMEOUT_SECS,
      total_timeout_secs: DEFAULT_TOTAL_TIMEOUT_SECS,
    },
  };
}

/** The form filled in with a saved connection, for editing. */
export function formValuesFromProfile(profile: Profile): ConnectionFormValues {
  const values = emptyFormValues(profile.settings.kind);
  values.name = profile.name;
  const s = profile.settings;
  switch (s.kind) {
    case 'openedx':
      values.openedx = {
        base_url: s.base_url,
        client_id: s.client_id,
        token_type: s.token_type,
        client_auth: s.client_auth,
        scopes: [...s.scopes],
        providers: [...s.providers],
      };
      break;
    case 'openlearning':
      values.openlearning = { base_url: s.base_url, institution_id: s.institution_id, api_key_style: s.api_key_style };
      break;
    case 'ooapi':
      values.ooapi = {
        schac_home: s.schac_home,
        persons_url: s.persons_url,
        associations_url: s.associations_url,
        token_url: s.token_url,
        client_id: s.client_id,
        scopes: [...s.scopes],
        audience: s.audience ?? '',
        introspection_url: s.introspection_url ?? '',
        introspection_client_id: s.introspection_client_id ?? '',
        transport: s.transport ?? 'direct',
        receiver_url: s.receiver_url ?? '',
        receiver_user: s.receiver_user ?? 'sis',
        stuck_after_hours: s.stuck_after_hours ?? DEFAULT_STUCK_AFTER_HOURS,
        sis_url: s.sis_url ?? '',
        introspection_secret_env: s.introspection_secret_env ?? '',
      };
      break;
  }
  const { proxy } = profile.network;
  values.network = {
    proxy_mode: proxy.mode,
    proxy_url: proxy.mode === 'manual' ? proxy.url : '',
    proxy_bypass: proxy.mode === 'manual' ? proxy.bypass : '',
    extra_ca_file: profile.network.extra_ca_file ?? '',
    connect_timeout_secs: profile.network.connect_timeout_secs,
    total_timeout_secs: profile.network.total_timeout_secs,
  };
  return values;
}

// ---------------------------------------------------------------------------------------------
// Checks

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * What is wrong with a web address, or null when it is fine: https is required, except for this
 * computer (127.0.0.1, localhost, [::1]), as the back end requires.
 */
export function urlProblem(label: string, value: string): string | null {
  const text = value.trim();
  if (text === '') return `The ${label} is required.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a web address. Use a full address such as https://lms.example.edu.`;
  }
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      return `The ${label} must use https. Plain http is allowed only for this computer (127.0.0.1, localhost).`;
    }
  } else if (url.protocol !== 'https:') {
    return `The ${label} must be an https address, not ${url.protocol}.`;
  }
  if (url.hostname === '') return `The ${label} "${text}" has no host name.`;
  if (url.username !== '' || url.password !== '') {
    return `The ${label} must not contain a user name or password. Put the secret in the secret field, where it is kept in the OS keyring.`;
  }
  return null;
}

/** Provider ids as Open edX names them: saml-<idp-slug>, oa2-<backend>, lti-<key>. */
export function isProviderId(value: string): boolean {
  return /^[\p{L}\p{N}_.+:-]+$/u.test(value);
}

function parses(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function required(label: string, value: string): string | null {
  return value.trim() === '' ? `The ${label} is required.` : null;
}

function timeoutProblem(value: number | string): string | null {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || !Number.isInteger(n) || n < 1) return 'Give a whole number of seconds, at least 1.';
  if (n > 3600) return 'Keep it under an hour (3600 seconds).';
  return null;
}

/** Every problem with the form, keyed by the field's path in the values (what @mantine/form uses). */
export function validateConnection(values: ConnectionFormValues): Record<string, string> {
  const errors: Record<string, string | null> = {};
  if (values.kind === null) errors.kind = 'Choose what kind of system this connection is for.';

  const name = values.name.trim();
  if (name === '') errors.name = 'Give the connection a name, e.g. "Courses LMS (production)".';
  else if ([...name].length > MAX_NAME_LENGTH) errors.name = `Keep the name under ${MAX_NAME_LENGTH} characters.`;

  switch (values.kind) {
    case 'openedx': {
      const o = values.openedx;
      errors['openedx.base_url'] = urlProblem('LMS base URL', o.base_url);
      errors['openedx.client_id'] = required('client ID', o.client_id);
      const bad = tidyList(o.providers).find((p) => !isProviderId(p));
      if (bad !== undefined) {
        errors['openedx.providers'] =
          `"${bad}" is not a provider id. Provider ids look like saml-<idp-slug>, oa2-<backend> or lti-<key>.`;
      }
      break;
    }
    case 'openlearning':
      errors['openlearning.base_url'] = urlProblem('API base URL', values.openlearning.base_url);
      errors['openlearning.institution_id'] = required('institution ID', values.openlearning.institution_id);
      break;
    case 'ooapi': {
      const o = values.ooapi;
      errors['ooapi.schac_home'] = required('schacHome', o.schac_home);
      errors['ooapi.persons_url'] = urlProblem('persons URL', o.persons_url);
      errors['ooapi.associations_url'] = urlProblem('associations URL', o.associations_url);
      if (o.transport === 'direct') {
        errors['ooapi.token_url'] = urlProblem('token URL', o.token_url);
        errors['ooapi.client_id'] = required('client ID', o.client_id);
      } else {
        errors['ooapi.receiver_url'] = urlProblem('enrollment receiver URL', o.receiver_url);
      }
      if (o.sis_url.trim() !== '') {
        errors['ooapi.sis_url'] = urlProblem('SIS backend URL', o.sis_url);
      }
      if (o.introspection_url.trim() !== '') {
        errors['ooapi.introspection_url'] = urlProblem('introspection URL', o.introspection_url);
        if (o.introspection_client_id.trim() === '') {
          errors['ooapi.introspection_client_id'] = 'An introspection URL needs its own client ID.';
        }
      }
      break;
    }
    case null:
      break;
  }

  const n = values.network;
  if (n.proxy_mode === 'manual') {
    const url = n.proxy_url.trim();
    if (url === '') errors['network.proxy_url'] = 'Give the proxy address, e.g. http://proxy.example.edu:3128.';
    else if (!parses(url)) errors['network.proxy_url'] = `"${url}" is not a web address, e.g. http://proxy.example.edu:3128.`;
  }
  errors['network.connect_timeout_secs'] = timeoutProblem(n.connect_timeout_secs);
  errors['network.total_timeout_secs'] = timeoutProblem(n.total_timeout_secs);

  return Object.fromEntries(
    Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

/** Whether any of these problems is in the (collapsed) network section. */
export function hasNetworkProblem(errors: Record<string, unknown>): boolean {
  return Object.keys(errors).some((key) => key.startsWith('network.'));
}

// ---------------------------------------------------------------------------------------------
// The draft

/** Trimmed, without empty entries or repeats, in the order given. */
export function tidyList(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}

function orNull(value: string): string | null {
  const text = value.trim();
  return text === '' ? null : text;
}

function seconds(value: number | string, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  return value === '' || !Number.isFinite(n) ? fallback : Math.round(n);
}

/**
 * The `ProfileDraft` the back end gets. `secretEnv` is kept as it was (set only from the command
 * line); a new connection has none. Throws when no kind is chosen: validate first.
 */
export function toDraft(values: ConnectionFormValues, secretEnv: string | null = null): ProfileDraft {
  let settings: ProfileSettings;
  switch (values.kind) {
    case 'openedx': {
      const o = values.openedx;
      settings = {
        kind: 'openedx',
        base_url: o.base_url.trim(),
        client_id: o.client_id.trim(),
        token_type: o.token_type,
        client_auth: o.client_auth,
        scopes: tidyList(o.scopes),
        providers: tidyList(o.providers),
      };
      break;
    }
    case 'openlearning': {
      const o = values.openlearning;
      settings = {
        kind: 'openlearning',
        base_url: o.base_url.trim(),
        institution_id: o.institution_id.trim(),
        api_key_style: o.api_key_style,
      };
      break;
    }
    case 'ooapi': {
      const o = values.ooapi;
      const introspectionUrl = orNull(o.introspection_url);
      const stuckHours = Math.max(1, Math.round(Number(o.stuck_after_hours) || DEFAULT_STUCK_AFTER_HOURS));
      settings = {
        kind: 'ooapi',
        schac_home: o.schac_home.trim(),
        persons_url: o.persons_url.trim(),
        associations_url: o.associations_url.trim(),
        token_url: o.token_url.trim(),
        client_id: o.client_id.trim(),
        scopes: tidyList(o.scopes),
        audience: orNull(o.audience),
        introspection_url: introspectionUrl,
        introspection_client_id: introspectionUrl === null ? null : orNull(o.introspection_client_id),
        // Defaults are left out, so a connection saved before these fields existed round-trips unchanged.
        ...(o.transport === 'receiver'
          ? { transport: 'receiver' as const, receiver_url: o.receiver_url.trim(), receiver_user: o.receiver_user.trim() || 'sis' }
          : {}),
        ...(stuckHours === DEFAULT_STUCK_AFTER_HOURS ? {} : { stuck_after_hours: stuckHours }),
        ...(orNull(o.sis_url) === null ? {} : { sis_url: o.sis_url.trim() }),
        ...(introspectionUrl !== null && o.introspection_secret_env.trim() !== ''
          ? { introspection_secret_env: o.introspection_secret_env.trim() }
          : {}),
      };
      break;
    }
    case null:
      throw new Error('Choose the kind of connection first.');
  }
  const n = values.network;
  return {
    name: values.name.trim(),
    settings,
    network: {
      proxy:
        n.proxy_mode === 'manual'
          ? { mode: 'manual', url: n.proxy_url.trim(), bypass: n.proxy_bypass.trim() }
          : { mode: n.proxy_mode },
      extra_ca_file: orNull(n.extra_ca_file),
      connect_timeout_secs: seconds(n.connect_timeout_secs, DEFAULT_CONNECT_TIMEOUT_SECS),
      total_timeout_secs: seconds(n.total_timeout_secs, DEFAULT_TOTAL_TIMEOUT_SECS),
    },
    secret_env: secretEnv,
  };
}

// ---------------------------------------------------------------------------------------------
// Secrets

export const KEYRING_NOTE =
  "Kept in your operating system's keyring (GNOME Keyring / Keychain / Credential Manager), never in Crosswalk's database.";

/** The placeholder says whether a secret is set; the secret itself never comes back to the UI. */
export function secretPlaceholder(status: SecretStatus | null, secretEnv: string | null): string {
  if (status === null) return 'Optional now: you can also set it later';
  switch (status.source) {
    case 'keyring':
      return 'Set — type to replace';
    case 'environment':
      return secretEnv ? `Read from ${secretEnv} — type to keep one in the keyring instead` : 'Set — type to replace';
    case 'demo':
      return 'Demo credential';
    case 'not_set':
      return 'Not set';
    case 'unknown':
      return 'Unknown: the keyring could not be reached — type to set it once the keyring is unlocked';
  }
}

export const secretFieldLabels: Record<SecretField, string> = {
  client_secret: 'Client secret',
  api_key: 'API key',
  introspection_secret: 'Introspection client secret',
  receiver_password: 'Enrollment receiver password',
  student_token: 'Pasted student token',
};

/** The secrets a connection with these values needs, as the back end lists them. */
export function secretFieldsFor(values: Pick<ConnectionFormValues, 'kind' | 'ooapi'>): SecretField[] {
  switch (values.kind) {
    case 'openedx':
      return ['client_secret'];
    case 'openlearning':
      return ['api_key'];
    case 'ooapi': {
      const main: SecretField = values.ooapi.transport === 'receiver' ? 'receiver_password' : 'client_secret';
      return values.ooapi.introspection_url.trim() === '' ? [main] : [main, 'introspection_secret'];
    }
    case null:
      return [];
  }
}

/**
 * The secrets typed into the form, in field order; untouched (empty) ones are left alone. Spaces
 * around a pasted secret are dropped: no client secret or API key starts or ends with one.
 */
export function typedSecrets(
  fields: SecretField[],
  read: (field: SecretField) => string,
): { field: SecretField; value: string }[] {
  return fields.map((field) => ({ field, value: read(field).trim() })).filter(({ value }) => value !== '');
}
