import { createTheme } from '@mantine/core';

// System fonts only: the app loads nothing from the network (strict CSP, often offline campuses).
const systemSans =
  "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, Cantarell, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";
const systemMono = "ui-monospace, 'SF Mono', 'Cascadia Mono', 'Segoe UI Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";

export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: systemSans,
  fontFamilyMonospace: systemMono,
  headings: { fontFamily: systemSans },
  defaultRadius: 'md',
});
