import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconFolderOpen, IconSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { backend } from '../lib/backend';
import { notifyError, notifySuccess } from '../lib/notify';
import { buildPaletteActions } from './paletteActions';
import { screenIcons } from './screenIcons';

/** Ctrl/Cmd+K: jump to any screen or run an app-wide action by typing a few letters. */
export function CommandPalette({ openAbout }: { openAbout: () => void }) {
  const navigate = useNavigate();
  const openLogs = useMutation({
    mutationFn: backend.openLogsFolder,
    onSuccess: () => notifySuccess('Logs folder opened', 'It is in your file manager now.'),
    onError: (error) => notifyError('Could not open the logs folder', error),
  });

  const entries = buildPaletteActions({
    navigate: (path) => void navigate(path),
    openLogsFolder: () => openLogs.mutate(),
    openAbout,
  });

  const groups: SpotlightActionGroupData[] = (['Go to', 'Actions'] as const).map((group) => ({
    group,
    actions: entries
      .filter((e) => e.group === group)
      .map((e) => {
        const Icon = e.screen ? screenIcons[e.screen] : IconFolderOpen;
        return {
          id: e.id,
          label: e.label,
          description: e.description,
          keywords: e.keywords,
          onClick: e.run,
          leftSection: <Icon size={20} stroke={1.6} />,
        };
      }),
  }));

  return (
    <Spotlight
      actions={groups}
      shortcut={['mod + K']}
      tagsToIgnore={[]}
      highlightQuery
      nothingFound="Nothing by that name. Try a screen name such as Learners or Activity."
      searchProps={{
        leftSection: <IconSearch size={18} />,
        placeholder: 'Jump to a screen or run an action…',
        'aria-label': 'Search screens and actions',
      }}
    />
  );
}
