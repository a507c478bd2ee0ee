import { fileURLToPath } from 'node:url';

/** Screenshots of every screen land here (git-ignored), for people to look at. */
export const screenshotDir = fileURLToPath(new URL('../../../artifacts/browser/', import.meta.url));
