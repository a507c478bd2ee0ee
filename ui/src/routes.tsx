import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ScreenKey } from './shell/screens';

// The first screen's chunk starts loading as soon as this module runs, beside the shell's own
// first render and calls, rather than after them (it is what people see first).
const learnersScreen = import('./screens/LearnersScreen');
// Should the chunk fail to load, `lazy` below shows it when the screen opens; this only keeps the
// failure from also being reported as unhandled when the app opened on another screen.
learnersScreen.catch(() => undefined);

// Each other screen is its own chunk, loaded the first time someone opens it.
export const screenComponents: Record<ScreenKey, LazyExoticComponent<ComponentType>> = {
  learners: lazy(() => learnersScreen),
  grades: lazy(() => import('./screens/GradesScreen')),
  launch: lazy(() => import('./screens/LaunchScreen')),
  enrollments: lazy(() => import('./screens/EnrollmentsScreen')),
  connections: lazy(() => import('./screens/ConnectionsScreen')),
  activity: lazy(() => import('./screens/ActivityScreen')),
};
