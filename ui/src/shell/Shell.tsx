import {
  Alert,
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Kbd,
  Loader,
  NavLink,
  ScrollArea,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys, useOs } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { endBoot } from '../boot';
import { JobEvents } from '../components/JobEvents';
import { OpenedFiles } from '../components/OpenedFiles';
import { toAppError } from '../lib/backend';
import { useAppInfo } from '../lib/queries';
import { AboutModal } from './AboutModal';
import { CommandPalette } from './CommandPalette';
import { DemoBanner } from './DemoBanner';
import { screenIcons } from './screenIcons';
import { screens } from './screens';
import { ShortcutsModal } from './ShortcutsModal';
import { ScreenLoading } from './ScreenLoading';

export function Shell() {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const [aboutOpened, { open: openAbout, close: closeAbout }] = useDisclosure(false);
  const [shortcutsOpened, { open: openShortcuts, close: closeShortcuts }] = useDisclosure(false);
  const navigate = useNavigate();
  // Ctrl/Cmd+1…6 jump to the screens in sidebar order; ? (or Ctrl/Cmd+/) lists the shortcuts. Not
  // while typing in a field (useHotkeys ignores INPUT, TEXTAREA and SELECT by default).
  useHotkeys([
    ...screens.map((s, i): [string, () => void] => [`mod+${i + 1}`, () => void navigate(s.path)]),
    ['shift+?', openShortcuts],
    ['mod+/', openShortcuts],
  ]);
  const { pathname } = useLocation();
  const appInfo = useAppInfo();
  const os = useOs();
  const modKey = os === 'macos' || os === 'ios' ? '⌘' : 'Ctrl';

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Show or hide the menu" />
            <UnstyledButton component={Link} to="/" aria-label="Crosswalk, go to the first screen">
              <Title order={3} fw={700} data-testid="app-name">
                Crosswalk
              </Title>
            </UnstyledButton>
            {appInfo.isSuccess ? (
              <UnstyledButton onClick={openAbout} aria-label="About Crosswalk and reporting a problem" data-testid="open-about">
                <Badge variant="light" color="gray" tt="none" data-testid="app-version" style={{ cursor: 'pointer' }}>
                  v{appInfo.data.version}
                </Badge>
              </UnstyledButton>
            ) : appInfo.isPending ? (
              <Loader size="xs" aria-label="Loading" />
            ) : null}
          </Group>
          <Button
            variant="default"
            onClick={() => spotlight.open()}
            leftSection={<IconSearch size={16} />}
            rightSection={
              <Group gap={2} wrap="nowrap">
                <Kbd size="xs">{modKey}</Kbd>
                <Kbd size="xs">K</Kbd>
              </Group>
            }
            data-testid="open-palette"
            aria-label={`Jump to a screen or action (${modKey}+K)`}
          >
            <Text size="sm" c="dimmed" visibleFrom="xs">
              Jump to…
            </Text>
          </Button>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Screens">
        <AppShell.Section grow component={ScrollArea}>
          {screens.map((screen) => {
            const Icon = screenIcons[screen.key];
            return (
              <NavLink
                key={screen.key}
                component={Link}
                to={screen.path}
                label={screen.label}
                description={screen.built ? undefined : 'Not built yet'}
                leftSection={<Icon size={20} stroke={1.6} />}
                active={pathname === screen.path || pathname.startsWith(`${screen.path}/`)}
                onClick={closeNav}
                data-testid={`nav-${screen.key}`}
                aria-current={pathname === screen.path ? 'page' : undefined}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            Press {modKey}+K anywhere to jump to a screen.
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        {appInfo.isSuccess && appInfo.data.demo && <DemoBanner />}
        {appInfo.isError && (
          <Alert
            color="red"
            variant="light"
            mb="lg"
            icon={<IconAlertTriangle size={20} />}
            title="Crosswalk could not read its own settings"
            data-testid="app-info-error"
          >
            {toAppError(appInfo.error).message}{' '}
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => void appInfo.refetch()}>
              Retry
            </Button>
          </Alert>
        )}
        <Suspense fallback={<ScreenLoading />}>
          <Outlet />
          <ScreenShown />
        </Suspense>
      </AppShell.Main>

      <CommandPalette openAbout={openAbout} />
      <AboutModal opened={aboutOpened} onClose={closeAbout} info={appInfo.data} />
      <ShortcutsModal opened={shortcutsOpened} onClose={closeShortcuts} mod={modKey} />
      <JobEvents />
      <OpenedFiles />
    </AppShell>
  );
}

/**
 * Beside the screen in its Suspense boundary, so it is drawn with the screen itself, never with
 * the placeholder shown while the screen's code loads: then the first frame (boot.ts) goes.
 */
function ScreenShown() {
  useEffect(() => endBoot(), []);
  return null;
}
