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
