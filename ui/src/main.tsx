// The page's entry: draws the first frame at once (boot.ts, a few kilobytes), then loads the app
// itself (start.tsx: React, Mantine and the screens), which replaces that frame once it is drawn.
import './boot.css';
import { bootFailed, paintBoot, type BootData } from './boot';

const booted: Promise<BootData> = paintBoot().catch(() => ({}));
// React starts once the frame with the core's first answers is on screen, or after 300 ms at
// most: its first render holds the page's only thread for a while and would hold that frame back.
const atMost = new Promise<void>((resolve) => setTimeout(resolve, 300));
void Promise.race([booted, atMost])
  .then(() => import('./start'))
  .then(({ start }) => start(booted))
  .catch((reason: unknown) => bootFailed(reason));
