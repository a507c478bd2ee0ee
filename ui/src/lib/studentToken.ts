// A connection's pasted student token as the UI knows it: whose it is, never the token.
import { useQuery } from '@tanstack/react-query';
import type { StudentToken } from '../bindings';
import { backend } from './backend';

export const studentTokenKey = (connectionId: string) => ['enrollments', 'student-token', connectionId] as const;

export function studentOfToken(t: StudentToken): string {
  return t.name ?? t.email ?? t.person_id;
}

export function useStudentToken(connectionId: string, enabled = true) {
  return useQuery({ queryKey: studentTokenKey(connectionId), queryFn: () => backend.enrollmentsStudentToken(connectionId), enabled });
}
