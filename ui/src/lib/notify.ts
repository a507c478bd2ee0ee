// Toasts for things that happened away from the screen's main content: actions that worked or failed.
import { notifications } from '@mantine/notifications';
import { toAppError } from './backend';

export function notifySuccess(title: string, message: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 5000 });
}

/** Failures stay longer: the message says what to do next, and people need time to read it. */
export function notifyError(title: string, error: unknown): void {
  const { message } = toAppError(error);
  notifications.show({ color: 'red', title, message, autoClose: 12000, withBorder: true });
}

/** Something that did not go wrong but did not do what was asked either, e.g. a test that failed. */
export function notifyWarning(title: string, message: string): void {
  notifications.show({ color: 'orange', title, message, autoClose: 10000, withBorder: true });
}

/** Nothing happened, on purpose: e.g. the person closed a file dialog. */
export function notifyInfo(title: string, message: string): void {
  notifications.show({ color: 'gray', title, message, autoClose: 4000 });
}
