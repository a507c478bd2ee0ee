// The first frame, drawn before React and Mantine have loaded: the shell's header and sidebar, the
// screen's title, and — as soon as the core answers, within milliseconds — the connection and
// providers the Learners screen will show. It is plain DOM from a script of a few kilobytes, so the
// window shows real data in the time a one-page app needs to show anything; the full screen (React
// and Mantine, ~0.5 s more of script and layout on a slow machine) is drawn beneath it and replaces
// it as soon as it is on screen (`endBoot`, called by the shell).
//
// The overlay lets pointer events through (`pointer-events: none`), so it never takes a click meant
// for the real screen, and it only ever holds text (`textContent`): names come from the core, which
// read them from outside systems.
import type { AppInfo, ProfileView } from './bindings';
import { backend } from './lib/backend';
import { connectionLabel, openEdxConnections } from './lib/connections';
import { DEMO_BANNER_TEXT, LEARNERS_EXPLANATION, LEARNERS_TABS, defaultScreen, screens, type Screen } from './shell/screens';

/** What the core answered while the first frame was drawn; the app's query cache starts with it. */
export interface BootData {
  appInfo?: AppInfo;
  connections?: ProfileView[];
}

const BOOT_ID = 'boot';

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The screen the window opens on: the one in the address's hash, else the first. */
function openingScreen(hash: string): Screen {
  const path = hash.replace(/^#/, '').split(/[?#]/)[0] ?? '';
  return screens.find((s) => path === s.path || path.startsWith(`${s.path}/`)) ?? defaultScreen;
}

/**
 * Draws the first frame at once, then asks the core for the app's details and connections and
 * adds them. Resolves with the answers once the frame holding them has been painted (or without
 * them if the core failed: the real screens then say what went wrong).
 */
export async function paintBoot(doc: Document = document): Promise<BootData> {
  const screen = openingScreen(doc.location.hash);
  const frame = drawFrame(doc, screen);
  mark('crosswalk:boot-drawn');

  const [appInfo, connections] = await Promise.all([
    backend.appInfo().catch(() => undefined),
    backend.listConnections().catch(() => undefined),
  ]);
  mark('crosswalk:boot-answered');
  if (!doc.getElementById(BOOT_ID)) return { appInfo, connections }; // The app was quicker.
  showAnswers(doc, frame, screen, appInfo, connections);
  await nextPaint(doc);
  return { appInfo, connections };
}

interface Frame {
  version: HTMLElement;
  banner: HTMLElement;
  data: HTMLElement;
}

/** The shell and the screen's title, in the body, before the core has said anything. */
function drawFrame(doc: Document, screen: Screen): Frame {
  const boot = el(doc, 'div', 'boot');
  boot.id = BOOT_ID;
  boot.setAttribute('aria-hidden', 'true');

  const header = el(doc, 'header', 'boot-header');
  const version = el(doc, 'span', 'boot-badge');
  header.append(el(doc, 'span', 'boot-name', 'Crosswalk'), version);

  const nav = el(doc, 'nav', 'boot-nav');
  for (const s of screens) {
    const link = el(doc, 'div', s.key === screen.key ? 'boot-link boot-active' : 'boot-link', s.label);
    if (!s.built) link.append(el(doc, 'small', 'boot-dimmed', 'Not built yet'));
    nav.append(link);
  }

  const main = el(doc, 'main', 'boot-main');
  const banner = el(doc, 'div', 'boot-banner', DEMO_BANNER_TEXT);
  banner.hidden = true;
  main.append(banner, el(doc, 'h2', 'boot-title', screen.label));
  if (screen.key === 'learners') {
    main.append(el(doc, 'p', 'boot-dimmed boot-explanation', LEARNERS_EXPLANATION));
    const tabs = el(doc, 'div', 'boot-tabs');
    LEARNERS_TABS.forEach((t, i) => tabs.append(el(doc, 'span', i === 0 ? 'boot-tab boot-active' : 'boot-tab', t.label)));
    main.append(tabs);
  }
  const data = el(doc, 'div', 'boot-data');
  main.append(data);

  boot.append(header, nav, main);
  doc.body.append(boot);
  return { version, banner, data };
}

/** The version, the demo banner, and on Learners the connection it opens on and its providers. */
function showAnswers(
  doc: Document,
  frame: Frame,
  screen: Screen,
  appInfo: AppInfo | undefined,
  connections: ProfileView[] | undefined,
): void {
  if (appInfo) {
    frame.version.textContent = `v${appInfo.version}`;
    frame.banner.hidden = !appInfo.demo;
  }
  const connection = screen.key === 'learners' && connections ? openEdxConnections(connections)[0] : undefined;
  if (connection) {
    const row = el(doc, 'div', 'boot-row');
    row.append(el(doc, 'span', 'boot-label', 'Connection'), el(doc, 'span', '', connectionLabel(connection)));
    const providers = el(doc, 'div', 'boot-row');
    providers.append(el(doc, 'span', 'boot-label', 'Providers'));
    for (const p of connection.settings.providers) providers.append(el(doc, 'span', 'boot-pill', p));
    frame.data.append(row, providers);
  }
  frame.data.append(el(doc, 'p', 'boot-dimmed', 'Starting…'));
}

/** A point on the page's clock that `tests/bench/startup.mjs` reports. */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

/** After the next frame has been painted; at most 100 ms, as a hidden window paints none. */
function nextPaint(doc: Document): Promise<void> {
  const view = doc.defaultView;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    if (!view?.requestAnimationFrame) return;
    view.requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

/** Takes the first frame away: the real screen is on screen (or could not be drawn). */
export function endBoot(doc: Document = document): void {
  doc.getElementById(BOOT_ID)?.remove();
}

/** Says on the first frame that the screens could not be loaded, and what to do. */
export function bootFailed(reason: unknown, doc: Document = document): void {
  const data = doc.querySelector(`#${BOOT_ID} .boot-data`);
  if (!data) return;
  const detail = reason instanceof Error ? reason.message : String(reason);
  data.replaceChildren(
    el(
      doc,
      'p',
      'boot-error',
      `Crosswalk could not load its screens (${detail}). Close the app and open it again; if this keeps ` +
        'happening, reinstall Crosswalk.',
    ),
  );
}
