import { createTheme } from '@mantine/core';

// System fonts only: the app loads nothing from the network (strict CSP, often offline campuses).
// `system-ui` is the desktop's own font in every webview Tauri uses (WebKitGTK, WKWebView,
// WebView2). No list of named fallbacks: WebKitGTK looks each one up before the first paint, and
// the eight of the usual list cost ~60 ms of it where they are not installed (README, Performance).
const systemSans = 'system-ui, sans-serif';
const systemMono = "ui-monospace, 'SF Mono', 'Cascadia Mono', 'Segoe UI Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";

export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: systemSans,
  fontFamilyMonospace: systemMono,
  headings: { fontFamily: systemSans },
  defaultRadius: 'md',
});
