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

/** How a connection is named in pickers: demo ones say so. */
export function connectionLabel(c: Profile): string {
  return c.demo ? `${c.name} (demo)` : c.name;
}

export const kindLabels: Record<ConnectionKind, string> = {
  openedx: 'Open edX',
  openlearning: 'OpenLearning',
  ooapi: 'OOAPI',
};

/** The kinds as the Add connection form offers them, with what each is for. */
export const kindChoices: { kind: ConnectionKind; title: string; explanation: string }[] = [
  {
    kind: 'openedx',
    title: 'Open edX LMS',
    explanation: 'An Open edX site: Crosswalk reads which learner is which in your identity provider.',
  },
  {
    kind: 'openlearning',
    title: 'OpenLearning',
    explanation: "An OpenLearning institution, reached with an institution administrator's API key.",
  },
  {
    kind: 'ooapi',
    title: 'OOAPI partner',
    explanation: "Another institution's OOAPI endpoints, for enrollments between institutions.",
  },
];

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

/** A secret's status on a connection card: "Client secret: set in OS keyring". Never the secret. */
export function secretBadge(status: SecretStatus, secretEnv: string | null): { text: string; color: string; tone: Tone } {
  const label = capitalise(status.label);
  switch (status.source) {
    case 'keyring':
      return { text: `${label}: set in OS keyring`, color: 'teal', tone: 'normal' };
    case 'environment':
      return {
        text: secretEnv ? `${label}: from environment variable ${secretEnv}` : `${label}: from an environment variable`,
        color: 'blue',
        tone: 'normal',
      };
    case 'demo':
      return { text: `${label}: demo credential`, color: 'gray', tone: 'dimmed' };
    case 'not_set':
      return { text: `${label}: not set`, color: 'orange', tone: 'warning' };
    case 'unknown':
      return { text: `${label}: unknown (keyring unavailable)`, color: 'yellow', tone: 'warning' };
  }
}

/** The address a list shows for a connection: the LMS or API root, or the partner's persons endpoint. */
export function baseUrlOf(profile: Profile): string {
  const s = profile.settings;
  return s.kind === 'ooapi' ? s.persons_url : s.base_url;
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

/**
 * Every detail of a connection worth showing, in the order a person would check them. Secrets are
 * shown apart, as badges (`secretBadge`).
 */
export function connectionFields({ profile }: ProfileView): Field[] {
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
