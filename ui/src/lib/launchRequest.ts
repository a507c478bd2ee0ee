// What the Launch form holds, and the `LaunchRequest` the back end receives for it.
import type { LaunchRequest, RosterRow, UserRef } from '../bindings';

/** How the learner is named: OpenLearning's own user id, or the institution's external id. */
export type IdMode = UserRef['by'];

export const idModes: IdMode[] = ['external_id', 'user_id'];

export const idModeLabels: Record<IdMode, string> = {
  external_id: 'External id',
  user_id: 'OpenLearning user id',
};

export const idModeExplanations: Record<IdMode, string> = {
  external_id:
    "The id your institution gave the learner in OpenLearning (student number, email or your system's id). Crosswalk asks OpenLearning which user has it.",
  user_id: "OpenLearning's own number for the learner, if you already know it.",
};

/** Everything typed into the one-learner form, exactly as typed. */
export interface LaunchForm {
  mode: IdMode;
  externalId: string;
  userId: string;
  classId: string;
  contextId: string;
  email: string;
  fullName: string;
}

export const emptyLaunchForm: LaunchForm = {
  mode: 'external_id',
  externalId: '',
  userId: '',
  classId: '',
  contextId: '',
  email: '',
  fullName: '',
};

/** A typed field as the back end wants it: trimmed, and null when nothing is left. */
export function optionalField(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** The learner the form names, or null while the field of the chosen kind is empty. */
export function userRefOf(form: LaunchForm): UserRef | null {
  const id = optionalField(form.mode === 'external_id' ? form.externalId : form.userId);
  return id === null ? null : { by: form.mode, id };
}

/**
 * OpenLearning ignores the class id when a context id is given too. True when both are filled, so
 * the screen can say so before anyone launches.
 */
export function contextWins(classId: string | null | undefined, contextId: string | null | undefined): boolean {
  return optionalField(classId) !== null && optionalField(contextId) !== null;
}

/** The request for the form's launch, or null while no learner is named. */
export function launchRequestOf(profileId: string, form: LaunchForm): LaunchRequest | null {
  const user = userRefOf(form);
  if (user === null) return null;
  return {
    profile_id: profileId,
    user,
    class_id: optionalField(form.classId),
    context_id: optionalField(form.contextId),
    email: optionalField(form.email),
    full_name: optionalField(form.fullName),
  };
}

/** The request for one roster row: always by external id, with the row's own class and details. */
export function rosterLaunchRequest(profileId: string, row: RosterRow): LaunchRequest {
  return {
    profile_id: profileId,
    user: { by: 'external_id', id: row.external_id.trim() },
    class_id: optionalField(row.class_id),
    context_id: optionalField(row.context_id),
    email: optionalField(row.email),
    full_name: optionalField(row.full_name),
  };
}

/** Why the launch buttons are disabled, in a few words; null when a launch can be made. */
export function missingLearner(form: LaunchForm): string | null {
  if (userRefOf(form) !== null) return null;
  return form.mode === 'external_id'
    ? "Type the learner's external id first."
    : "Type the learner's OpenLearning user id first.";
}
