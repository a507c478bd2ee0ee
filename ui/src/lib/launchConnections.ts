// The OpenLearning connections the Launch screen can use, read from `list_connections`.
import type { OpenLearningSettings, Profile, ProfileView } from '../bindings';

export type OpenLearningProfile = Profile & { settings: { kind: 'openlearning' } & OpenLearningSettings };
export type OpenLearningView = ProfileView & { profile: OpenLearningProfile };

export function isOpenLearningView(view: ProfileView): view is OpenLearningView {
  return view.profile.settings.kind === 'openlearning';
}

/** The connections a launch can be made with, in the back end's order. */
export function openLearningConnections(views: ProfileView[]): OpenLearningView[] {
  return views.filter(isOpenLearningView);
}

/** True when the connection's API key is known not to be set, so every launch would fail. */
export function apiKeyMissing(view: ProfileView): boolean {
  return view.secrets.some((s) => s.field === 'api_key' && s.source === 'not_set');
}
