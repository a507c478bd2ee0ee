import {
  Accordion,
  Alert,
  Button,
  Group,
  NumberInput,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconNetwork } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { ConnectionKind, ProfileView, SecretField } from '../../bindings';
import { toAppError } from '../../lib/backend';
import {
  emptyFormValues,
  formValuesFromProfile,
  hasNetworkProblem,
  secretFieldLabels,
  secretFieldsFor,
  toDraft,
  typedSecrets,
  validateConnection,
  type ConnectionFormValues,
} from '../../lib/connectionForm';
import { kindChoices, kindLabels } from '../../lib/connections';
import { SecretNotSaved, useSaveConnection } from '../../lib/mutations';
import { notifySuccess } from '../../lib/notify';
import { SecretInput } from './SecretInput';

type Form = UseFormReturnType<ConnectionFormValues>;

interface ConnectionFormProps {
  /** The connection to edit; null to add one. */
  editing: ProfileView | null;
  /** Called once the connection and its secrets are saved. */
  onSaved: () => void;
  onCancel: () => void;
}

interface Problem {
  title: string;
  message: string;
}

/** Adding or editing one connection. Secrets are read from their inputs on save and never kept. */
export function ConnectionForm({ editing, onSaved, onCancel }: ConnectionFormProps) {
  // The saved connection this form edits. Set after a create whose secret could not be stored, so
  // pressing Save again updates that connection instead of adding a second one.
  const [saved, setSaved] = useState<ProfileView | null>(editing);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [networkOpen, setNetworkOpen] = useState<string | null>(null);
  const secretInputs = useRef<Partial<Record<SecretField, HTMLInputElement | null>>>({});
  const save = useSaveConnection();

  const form = useForm<ConnectionFormValues>({
    mode: 'controlled',
    initialValues: editing ? formValuesFromProfile(editing.profile) : emptyFormValues(),
    validate: validateConnection,
  });

  const kind = form.values.kind;
  const secretFields = secretFieldsFor(form.values);

  function clearSecretInputs(fields: SecretField[]) {
    for (const field of fields) {
      const input = secretInputs.current[field];
      if (input) input.value = '';
    }
  }

  async function submit(values: ConnectionFormValues) {
    setProblem(null);
    const creating = saved === null;
    const fields = secretFieldsFor(values);
    let stored: SecretField[] = [];
    try {
      const view = await save.mutateAsync({
        id: saved?.profile.id ?? null,
        draft: toDraft(values, saved?.profile.secret_env ?? null),
        readSecrets: () => {
          const typed = typedSecrets(fields, (field) => secretInputs.current[field]?.value ?? '');
          stored = typed.map((t) => t.field);
          return typed;
        },
      });
      clearSecretInputs(fields);
      notifySuccess(creating ? 'Connection added' : 'Connection saved', savedMessage(view, stored));
      onSaved();
    } catch (error) {
      if (error instanceof SecretNotSaved) {
        // What reached the keyring is cleared; the one that failed (and any after it) stays to retry.
        clearSecretInputs(stored.slice(0, stored.indexOf(error.field)));
        setSaved(error.view);
        setProblem({
          title: `The connection was saved, but its ${secretFieldLabels[error.field].toLowerCase()} was not stored`,
          message: error.reason.message,
        });
      } else {
        setProblem({
          title: creating ? 'Could not add the connection' : 'Could not save the connection',
          message: toAppError(error).message,
        });
      }
    }
  }

  return (
    <form
      data-testid="connection-form"
      noValidate
      onSubmit={(event) =>
        form.onSubmit(
          (values) => void submit(values),
          (errors) => {
            if (hasNetworkProblem(errors)) setNetworkOpen('network');
          },
        )(event)
      }
    >
      <Stack gap="md">
        <KindChoice form={form} locked={editing !== null} />

        {kind !== null && (
          <>
            <TextInput
              label="Name"
              description={'What you call this connection in Crosswalk, e.g. "Courses LMS (production)".'}
              withAsterisk
              data-testid="field-name"
              {...form.getInputProps('name')}
            />
            <KindFields form={form} kind={kind} />
            <Stack gap="sm">
              {secretFields.map((field, index) => (
                <SecretInput
                  key={field}
                  field={field}
                  testId={index === 0 ? 'field-secret' : `field-secret-${field}`}
                  status={saved?.secrets.find((s) => s.field === field) ?? null}
                  secretEnv={saved?.profile.secret_env ?? null}
                  connectionId={saved?.profile.id ?? null}
                  onCleared={setSaved}
                  inputRef={(input) => {
                    secretInputs.current[field] = input;
                  }}
                />
              ))}
            </Stack>
            <NetworkSection form={form} opened={networkOpen} onChange={setNetworkOpen} />
          </>
        )}

        {problem && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={20} />}
            title={problem.title}
            data-testid="form-error"
          >
            <Text size="sm">{problem.message}</Text>
          </Alert>
        )}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={kind === null} data-testid="save-connection">
            {editing === null && saved === null ? 'Add connection' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function savedMessage(view: ProfileView, stored: SecretField[]): string {
  const name = `“${view.profile.name}” is saved.`;
  const kept = stored.map((f) => secretFieldLabels[f].toLowerCase());
  const missing = view.secrets.filter((s) => s.source === 'not_set').map((s) => s.label);
  const parts = [name];
  if (kept.length > 0) parts.push(`Its ${joinWords(kept)} ${kept.length === 1 ? 'is' : 'are'} in your operating system's keyring.`);
  if (missing.length > 0) parts.push(`It cannot sign in until you set its ${joinWords(missing)} (Edit).`);
  else parts.push('Press Test to check that it works.');
  return parts.join(' ');
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

function KindChoice({ form, locked }: { form: Form; locked: boolean }) {
  const current = form.values.kind;
  return (
    <Radio.Group
      label="What kind of system is it?"
      description={
        locked
          ? `This is ${article(kindLabels[current ?? 'openedx'])} connection. A connection's kind cannot change: to reach another kind of system, add a new connection.`
          : 'Choose first: the fields below depend on it.'
      }
      value={current}
      onChange={(value) => form.setFieldValue('kind', value as ConnectionKind)}
      error={form.errors.kind}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs" spacing="sm">
        {kindChoices.map((choice) => (
          <Radio.Card
            key={choice.kind}
            value={choice.kind}
            radius="md"
            p="sm"
            disabled={locked && choice.kind !== current}
            data-testid={`kind-${choice.kind}`}
            style={locked && choice.kind !== current ? { opacity: 0.5, cursor: 'not-allowed' } : undefined}
          >
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} />
              <div>
                <Text fw={600} size="sm">
                  {choice.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {choice.explanation}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? `an ${word}` : `a ${word}`;
}

const TAG_HINT = 'Press Enter after each one.';

function KindFields({ form, kind }: { form: Form; kind: ConnectionKind }) {
  switch (kind) {
    case 'openedx':
      return (
        <>
          <TextInput
            label="LMS base URL"
            description="The address of the LMS itself (not Studio), e.g. https://courses.example.edu."
            placeholder="https://courses.example.edu"
            withAsterisk
            data-testid="field-base-url"
            {...form.getInputProps('openedx.base_url')}
          />
          <TextInput
            label="Client ID"
            description="Of the OAuth2 application the Open edX administrators made for Crosswalk (Django admin → OAuth2 applications)."
            withAsterisk
            data-testid="field-client-id"
            {...form.getInputProps('openedx.client_id')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Choice
              label="Token type"
              description="JWT is recommended. A restricted application (one limited to some providers) must use JWT."
              testId="field-token-type"
              data={[
                { value: 'jwt', label: 'JWT (recommended)' },
                { value: 'bearer', label: 'Bearer' },
              ]}
              {...form.getInputProps('openedx.token_type')}
            />
            <Choice
              label="Client authentication"
              description="How the client ID and secret go with a token request: in an HTTP Basic header, or in the request body. Basic works with every Open edX release."
              testId="field-client-auth"
              data={[
                { value: 'basic', label: 'Basic (recommended)' },
                { value: 'body', label: 'Request body' },
              ]}
              {...form.getInputProps('openedx.client_auth')}
            />
          </SimpleGrid>
          <TagsInput
            label="Scopes"
            description={`Leave empty for the application's default scopes. A restricted application needs tpa:read to list learners. ${TAG_HINT}`}
            placeholder="e.g. read, tpa:read"
            data-testid="field-scopes"
            {...form.getInputProps('openedx.scopes')}
          />
          <TagsInput
            label="Identity providers to watch"
            description={`The single sign-on providers whose learners Crosswalk lists, as Open edX names them: saml-<idp-slug>, oa2-<backend> or lti-<key>. ${TAG_HINT}`}
            placeholder="e.g. saml-university"
            splitChars={[',', ' ']}
            data-testid="field-providers"
            {...form.getInputProps('openedx.providers')}
          />
        </>
      );
    case 'openlearning':
      return (
        <>
          <TextInput
            label="API base URL"
            description="The address of OpenLearning's API, usually https://api.openlearning.com/v2.1/."
            placeholder="https://api.openlearning.com/v2.1/"
            withAsterisk
            data-testid="field-base-url"
            {...form.getInputProps('openlearning.base_url')}
          />
          <TextInput
            label="Institution ID"
            description="Your institution's ID in OpenLearning; its administrators can look it up."
            withAsterisk
            data-testid="field-institution-id"
            {...form.getInputProps('openlearning.institution_id')}
          />
          <Choice
            label="How the API key is sent"
            description="In a header is recommended. Use the web address only if your OpenLearning set-up requires it: the key then shows up in proxy and server logs."
            testId="field-api-key-style"
            data={[
              { value: 'header', label: 'In a request header (recommended)' },
              { value: 'query', label: 'In the web address' },
            ]}
            {...form.getInputProps('openlearning.api_key_style')}
          />
        </>
      );
    case 'ooapi':
      return (
        <>
          <TextInput
            label="schacHome"
            description="The partner institution's schacHome: its internet domain, e.g. tue.nl."
            placeholder="partner.example.nl"
            withAsterisk
            data-testid="field-schac-home"
            {...form.getInputProps('ooapi.schac_home')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Persons URL"
              description="The partner's OOAPI persons endpoint."
              placeholder="https://ooapi.partner.example.nl/persons"
              withAsterisk
              data-testid="field-persons-url"
              {...form.getInputProps('ooapi.persons_url')}
            />
            <TextInput
              label="Associations URL"
              description="The partner's OOAPI associations endpoint."
              placeholder="https://ooapi.partner.example.nl/associations"
              withAsterisk
              data-testid="field-associations-url"
              {...form.getInputProps('ooapi.associations_url')}
            />
          </SimpleGrid>
          <SegmentedControl
            data-testid="field-transport"
            fullWidth
            data={[
              { value: 'direct', label: 'Directly (OOAPI endpoints with a token)' },
              { value: 'receiver', label: 'Through our enrollment receiver' },
            ]}
            {...form.getInputProps('ooapi.transport')}
          />
          <Text size="xs" c="dimmed">
            {form.values.ooapi.transport === 'direct'
              ? 'Crosswalk calls the partner’s endpoints itself, with a token from the partner’s token service.'
              : 'How EuroTeQ institutions run: the home side needs the student’s own token, which only your enrollment receiver holds, so Crosswalk asks the receiver’s SIS API (HTTP Basic) to call the partner.'}
          </Text>
          {form.values.ooapi.transport === 'direct' ? (
            <>
              <TextInput
                label="Token URL"
                description="Where Crosswalk asks for an access token with its client ID and secret."
                placeholder="https://auth.partner.example.nl/oauth2/token"
                withAsterisk
                data-testid="field-token-url"
                {...form.getInputProps('ooapi.token_url')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label="Client ID"
                  description="The one the partner gave your institution."
                  withAsterisk
                  data-testid="field-client-id"
                  {...form.getInputProps('ooapi.client_id')}
                />
                <TextInput
                  label="Audience (optional)"
                  description="Only if the partner's token service asks for one."
                  data-testid="field-audience"
                  {...form.getInputProps('ooapi.audience')}
                />
              </SimpleGrid>
              <TagsInput
                label="Scopes"
                description={`Leave empty for the defaults the partner set. ${TAG_HINT}`}
                data-testid="field-scopes"
                {...form.getInputProps('ooapi.scopes')}
              />
            </>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label="Enrollment receiver URL"
                description="The root of your receiver's SIS API."
                placeholder="https://receiver.example.edu"
                withAsterisk
                data-testid="field-receiver-url"
                {...form.getInputProps('ooapi.receiver_url')}
              />
              <TextInput
                label="Receiver user"
                description="The SIS API's Basic-auth user, usually sis. The password goes to the keyring below."
                data-testid="field-receiver-user"
                {...form.getInputProps('ooapi.receiver_user')}
              />
            </SimpleGrid>
          )}
          <NumberInput
            label="Flag as stuck after (hours)"
            description="A request the home institution leaves pending longer than this is flagged on the Enrollments screen."
            min={1}
            max={24 * 60}
            data-testid="field-stuck-after-hours"
            {...form.getInputProps('ooapi.stuck_after_hours')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Introspection URL (optional)"
              description="For checking, on your own side, the tokens partners send you (RFC 7662)."
              data-testid="field-introspection-url"
              {...form.getInputProps('ooapi.introspection_url')}
            />
            <TextInput
              label="Introspection client ID"
              description="The client ID your token service gave Crosswalk for checking tokens. Needed with an introspection URL."
              disabled={form.values.ooapi.introspection_url.trim() === ''}
              data-testid="field-introspection-client-id"
              {...form.getInputProps('ooapi.introspection_client_id')}
            />
          </SimpleGrid>
          <TextInput
            label="Our SIS backend URL (optional)"
            description="Where our enrollment receiver posts {offering, person}. The endpoint check (Enrollments → Check our endpoints) tests its answers."
            data-testid="field-sis-url"
            {...form.getInputProps('ooapi.sis_url')}
          />
        </>
      );
  }
}

interface ChoiceProps {
  label: string;
  description: string;
  testId: string;
  data: { value: string; label: string }[];
  value?: unknown;
  onChange?: (value: string) => void;
  error?: unknown;
}

/** Two or three options side by side, with a label and a plain explanation. */
function Choice({ label, description, testId, data, value, onChange }: ChoiceProps) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} component="label">
        {label}
      </Text>
      <Text size="xs" c="dimmed">
        {description}
      </Text>
      <SegmentedControl
        fullWidth
        data={data}
        value={typeof value === 'string' ? value : undefined}
        onChange={onChange}
        data-testid={testId}
        aria-label={label}
      />
    </Stack>
  );
}

interface NetworkSectionProps {
  form: Form;
  opened: string | null;
  onChange: (value: string | null) => void;
}

function NetworkSection({ form, opened, onChange }: NetworkSectionProps) {
  const n = form.values.network;
  return (
    <Accordion variant="contained" value={opened} onChange={onChange}>
      <Accordion.Item value="network">
        <Accordion.Control icon={<IconNetwork size={18} />} data-testid="network-section">
          <Text size="sm" fw={500}>
            Network: proxy, certificates, timeouts
          </Text>
          <Text size="xs" c="dimmed">
            Only needed when your network requires a proxy or its own certificates.
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Stack gap="md">
            <Choice
              label="Proxy"
              description="Most networks work with the operating system's settings."
              testId="field-proxy-mode"
              data={[
                { value: 'system', label: "Operating system's" },
                { value: 'none', label: 'None (connect directly)' },
                { value: 'manual', label: 'This proxy' },
              ]}
              {...form.getInputProps('network.proxy_mode')}
            />
            {n.proxy_mode === 'manual' && (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label="Proxy address"
                  placeholder="http://proxy.example.edu:3128"
                  withAsterisk
                  data-testid="field-proxy-url"
                  {...form.getInputProps('network.proxy_url')}
                />
                <TextInput
                  label="Not through the proxy for"
                  description="Host names, separated by commas."
                  placeholder="localhost, .example.edu"
                  data-testid="field-proxy-bypass"
                  {...form.getInputProps('network.proxy_bypass')}
                />
              </SimpleGrid>
            )}
            <TextInput
              label="Extra certificate authorities (optional)"
              description="The full path of a PEM file, if your institution uses its own certificate authority. The operating system's are always trusted."
              placeholder="/etc/ssl/certs/university-ca.pem"
              data-testid="field-ca-file"
              {...form.getInputProps('network.extra_ca_file')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <NumberInput
                label="Time to connect (seconds)"
                min={1}
                max={3600}
                allowDecimal={false}
                allowNegative={false}
                data-testid="field-connect-timeout"
                {...form.getInputProps('network.connect_timeout_secs')}
              />
              <NumberInput
                label="Time for a whole request (seconds)"
                min={1}
                max={3600}
                allowDecimal={false}
                allowNegative={false}
                data-testid="field-total-timeout"
                {...form.getInputProps('network.total_timeout_secs')}
              />
            </SimpleGrid>
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
