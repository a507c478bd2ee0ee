// Answers of the core that several tests share.
import type { AppInfo } from '../bindings';

/** `app_info` in demo mode. */
export const demoAppInfo: AppInfo = {
  version: '1.2.3',
  commit: 'abc1234def',
  build_date: '2026-12-05',
  demo: true,
  data_dir: '/data',
  log_dir: '/data/logs',
  database: '/data/crosswalk.sqlite3',
  sandbox_url: 'http://127.0.0.1:47801',
};
