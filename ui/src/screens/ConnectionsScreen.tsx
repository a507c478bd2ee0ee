import { Alert, Button, Group, Modal, SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { IconDownload, IconKey, IconPlugConnectedX, IconPlus, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { ImportReport, ProfileView } from '../bindings';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScreenHeader } from '../components/ScreenHeader';
import { countOf } from '../lib/format';
import { useExportConnections, useImportConnections } from '../lib/mutations';
import { notifyError, notifyInfo, notifySuccess } from '../lib/notify';
import { useConnections } from '../lib/queries';
import { ConnectionCard } from './connections/ConnectionCard';
import { ConnectionForm } from './connections/ConnectionForm';

/** What the form is open for: adding (view null) or editing a saved connection. */
interface FormTarget {
  view: ProfileView | null;
  /** A fresh form every time it opens. */
  key: number;
}

export default function ConnectionsScreen() {
  const connections = useConnections();
  const exporter = useExportConnections();
  const importer = useImportConnections();
  const [target, setTarget] = useState<FormTarget | null>(null);
  const [formOpened, setFormOpened] = useState(false);

  const saved = (connections.data ?? []).filter((v) => !v.profile.demo);

  function openForm(view: ProfileView | null) {
    setTarget((previous) => ({ view, key: (previous?.key ?? 0) + 1 }));
    setFormOpened(true);
  }

  async function runExport() {
    try {
      const path = await exporter.mutateAsync([]);
      if (path === null) notifyInfo('Nothing exported', 'You closed the save dialog without choosing a file.');
      else
        notifySuccess(
          'Connections exported',
          `${countOf(saved.length, 'connection')} written to ${path}. The file holds their settings only, never their secrets.`,
        );
    } catch (error) {
      notifyError('Could not export connections', error);
    }
  }

  async function runImport() {
    try {
      const report = await importer.mutateAsync();
      if (report === null) notifyInfo('Nothing imported', 'You closed the file dialog without choosing a file.');
      else notifySuccess('Connections imported', importMessage(report));
    } catch (error) {
      notifyError('Could not import connections', error);
    }
  }

  return (
    <>
      <ScreenHeader
        title="Connections"
        actions={
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="default"
              leftSection={<IconUpload size={16} />}
              loading={importer.isPending}
              onClick={() => void runImport()}
              data-testid="import-connections"
            >
              Import…
            </Button>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              loading={exporter.isPending}
              disabled={saved.length === 0}
              title={saved.length === 0 ? 'There are no saved connections to export: demo ones are built in.' : undefined}
              onClick={() => void runExport()}
              data-testid="export-connections"
            >
              Export all…
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)} data-testid="add-connection">
              Add connection
            </Button>
          </Group>
        }
      >
        A connection is one remote system Crosswalk talks to on your behalf: an Open edX site, an
        OpenLearning site or another institution&apos;s OOAPI endpoint. Each has its web address, the
        client ID Crosswalk signs in with, and where its secret is kept. Every screen that reaches a
        remote system uses one of these. Add, edit and test them here; export them to set up a colleague&apos;s
        Crosswalk the same way.
      </ScreenHeader>
      <Stack gap="lg">
        <Alert
          variant="light"
          color="blue"
          icon={<IconKey size={20} />}
          title="Secrets stay in your operating system's keyring"
          data-testid="connections-secrets-note"
        >
          Client secrets and API keys go straight to your operating system&apos;s keyring, never into
          Crosswalk&apos;s own files, logs or exports, and they are never shown on screen: a saved secret can be
          replaced or cleared, not read back. Exported files hold the settings only, so whoever imports them sets the
          secrets again.
        </Alert>
        {connections.isPending ? (
          <SimpleGrid cols={{ base: 1, lg: 2 }} data-testid="connections-loading">
            <Skeleton height={260} />
            <Skeleton height={260} />
          </SimpleGrid>
        ) : connections.isError ? (
          <ErrorAlert
            title="Could not list your connections"
            error={connections.error}
            onRetry={() => void connections.refetch()}
            retrying={connections.isFetching}
          />
        ) : connections.data.length === 0 ? (
          <Alert color="gray" variant="light" icon={<IconPlugConnectedX size={20} />} title="No connections yet">
            Crosswalk is not connected to any system, so the other screens have nothing to show. Press Add
            connection to set up the first one, or Import… to read connections a colleague exported.
          </Alert>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {connections.data.map((view) => (
              <ConnectionCard key={view.profile.id} view={view} onEdit={openForm} />
            ))}
          </SimpleGrid>
        )}
      </Stack>

      <Modal
        opened={formOpened}
        onClose={() => setFormOpened(false)}
        onExitTransitionEnd={() => setTarget(null)}
        title={target?.view ? `Edit “${target.view.profile.name}”` : 'Add a connection'}
        size="xl"
        closeOnClickOutside={false}
      >
        {target && (
          <ConnectionForm
            key={target.key}
            editing={target.view}
            onSaved={() => setFormOpened(false)}
            onCancel={() => setFormOpened(false)}
          />
        )}
      </Modal>
    </>
  );
}

function importMessage({ imported, renamed }: ImportReport): string {
  if (imported.length === 0) return 'The file held no connections.';
  const parts = [`${countOf(imported.length, 'connection')} added: ${imported.map((n) => `“${n}”`).join(', ')}.`];
  if (renamed.length > 0) {
    const pairs = renamed.map(([from, to]) => `“${from}” became “${to}”`).join(', ');
    parts.push(`Some names were taken, so ${pairs}.`);
  }
  parts.push('Export files hold no secrets: set each one with Edit before using it.');
  return parts.join(' ');
}
