import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { endBoot, type BootData } from './boot';

/** Draws the app beneath the first frame; the shell takes that frame away once a screen is shown. */
export function start(booted: Promise<BootData>): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App boot={booted} />
    </StrictMode>,
  );
  // Whatever happens to the first screen, the first frame never stays over the app for long.
  setTimeout(() => endBoot(), 10_000);
}
