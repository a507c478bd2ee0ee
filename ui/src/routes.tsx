import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ScreenKey } from './shell/screens';

// Each screen is its own chunk, loaded the first time someone opens it.
export const screenComponents: Record<ScreenKey, LazyExoticComponent<ComponentType>> = {
  learners: lazy(() => import('./screens/LearnersScreen')),
  grades: lazy(() => import('./screens/GradesScreen')),
  launch: lazy(() => import('./screens/LaunchScreen')),
  enrollments: lazy(() => import('./screens/EnrollmentsScreen')),
  connections: lazy(() => import('./screens/ConnectionsScreen')),
  activity: lazy(() => import('./screens/ActivityScreen')),
};
