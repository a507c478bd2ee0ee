// What the UI shows about a connection (a `ProfileView` from `list_connections`), in plain words.
// The back end's connection types live in bindings.ts; this is the one place that reads them.
import type {
  ApiKeyStyle,
  ClientAuth,
  ConnectionKind,
  NetworkSettings,
  OpenEdxSettings,
  Profile,
  ProfileView,
  ProxySettings,
  SecretStatus,
  TokenType,
} from '../bindings';

export type OpenEdxProfile = Profile & { settings: { kind: 'openedx' } & OpenEdxSettings };

export function isOpenEdx(profile: Profile): profile is OpenEdxProfile {
  return profile.settings.kind === 'openedx';
}

/** The connections the Learners screen can use, in the back end's order. */
export function openEdxConnections(views: ProfileView[]): OpenEdxProfile[] {
  return views.map((v) => v.profile).filter(isOpenEdx);
}

export const kindLabels: Record<ConnectionKind, string> = {
  openedx: 'Open edX',
  openlearning: 'OpenLearning',
  ooapi: 'OOAPI',
};

export const kindColors: Record<ConnectionKind, string> = {
  openedx: 'indigo',
  openlearning: 'grape',
  ooapi: 'cyan',
};

export const tokenTypeLabels: Record<TokenType, string> = { jwt: 'JWT', bearer: 'Bearer' };

export const clientAuthLabels: Record<ClientAuth, string> = {
  basic: 'HTTP Basic (client ID and secret in a header)',
  body: 'In the request body',
};

export const apiKeyStyleLabels: Record<ApiKeyStyle, string> = {
  header: 'In a request header',
  query: 'In the web address (query string)',
};

export function proxyLabel(proxy: ProxySettings): string {
  switch (proxy.mode) {
    case 'system':
      return "The operating system's proxy settings";
    case 'none':
      return 'No proxy';
    case 'manual':
      return proxy.bypass ? `${proxy.url} (not for ${proxy.bypass})` : proxy.url;
  }
}

export function timeoutsLabel(network: NetworkSettings): string {
  return `${network.connect_timeout_secs} s to connect, ${network.total_timeout_secs} s in all`;
}

export type Tone = 'normal' | 'dimmed' | 'warning';

/** Where a secret comes from. Secrets themselves never reach the UI. */
export function secretSourceLabel(status: SecretStatus, secretEnv: string | null): { text: string; tone: Tone } {
  switch (status.source) {
    case 'keyring':
      return { text: 'Saved in the operating system keyring', tone: 'normal' };
    case 'environment':
      return {
        text: secretEnv ? `Read from the environment variable ${secretEnv}` : 'Read from an environment variable',
        tone: 'normal',
      };
    case 'demo':
      return { text: "The built-in sandbox's demo secret", tone: 'dimmed' };
    case 'not_set':
      return { text: 'Not set yet: this connection cannot sign in without it', tone: 'warning' };
  }
}

export interface Field {
  label: string;
  /** A list is shown as tags. */
  value: string | string[];
  monospace?: boolean;
  tone?: Tone;
}

function listOrNone(values: string[], none: string): Pick<Field, 'value' | 'tone'> {
  return values.length === 0 ? { value: none, tone: 'dimmed' } : { value: values };
}

function optional(value: string | null, none: string): Pick<Field, 'value' | 'tone' | 'monospace'> {
  return value ? { value, monospace: true } : { value: none, tone: 'dimmed' };
}

/** Every detail of a connection worth showing, in the order a person would check them. */
export function connectionFields({ profile, secrets }: ProfileView): Field[] {
  const s = profile.settings;
  const fields: Field[] = [];
  switch (s.kind) {
    case 'openedx':
      fields.push(
        { label: 'Address', value: s.base_url, monospace: true },
        { label: 'Client ID', value: s.client_id, monospace: true },
        { label: 'Token type', value: tokenTypeLabels[s.token_type] },
        { label: 'Client sign-in', value: clientAuthLabels[s.client_auth] },
        { label: 'Scopes', ...listOrNone(s.scopes, 'The default ones') },
        { label: 'Providers', ...listOrNone(s.providers, 'None watched') },
      );
      break;
    case 'openlearning':
      fields.push(
        { label: 'Address', value: s.base_url, monospace: true },
        { label: 'Institution ID', value: s.institution_id, monospace: true },
        { label: 'API key sent', value: apiKeyStyleLabels[s.api_key_style] },
      );
      break;
    case 'ooapi':
      fields.push(
        { label: 'Partner', value: s.schac_home, monospace: true },
        { label: 'Persons', value: s.persons_url, monospace: true },
        { label: 'Associations', value: s.associations_url, monospace: true },
        { label: 'Token address', value: s.token_url, monospace: true },
        { label: 'Client ID', value: s.client_id, monospace: true },
        { label: 'Scopes', ...listOrNone(s.scopes, 'The default ones') },
        { label: 'Audience', ...optional(s.audience, 'None') },
        { label: 'Token check', ...optional(s.introspection_url, 'Not set up') },
      );
      break;
  }
  for (const status of secrets) {
    const { text, tone } = secretSourceLabel(status, profile.secret_env);
    fields.push({ label: capitalise(status.label), value: text, tone });
  }
  fields.push(
    { label: 'Proxy', value: proxyLabel(profile.network.proxy) },
    {
      label: 'Certificates',
      ...(profile.network.extra_ca_file
        ? { value: `The operating system's, plus ${profile.network.extra_ca_file}` }
        : { value: "The operating system's" }),
    },
    { label: 'Timeouts', value: timeoutsLabel(profile.network) },
  );
  return fields;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
