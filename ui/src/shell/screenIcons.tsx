import {
  IconAward,
  IconHistory,
  IconPlugConnected,
  IconRocket,
  IconTransfer,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { ScreenKey } from './screens';

export const screenIcons: Record<ScreenKey, Icon> = {
  learners: IconUsers,
  grades: IconAward,
  launch: IconRocket,
  enrollments: IconTransfer,
  connections: IconPlugConnected,
  activity: IconHistory,
};
