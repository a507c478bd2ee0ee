import { NotBuilt } from '../components/NotBuilt';
import { ScreenHeader } from '../components/ScreenHeader';

export default function GradesScreen() {
  return (
    <>
      <ScreenHeader title="Grades">
        Open edX produces grade reports that list learners by their Open edX username, which your
        university&apos;s learning management system (LMS) or student information system (SIS) does not
        know. This screen will reconcile those reports with the identity provider, so each grade is
        matched to the right student, and write files your LMS or SIS can import.
      </ScreenHeader>
      <NotBuilt
        plans={[
          'Fetch a course’s grade report from Open edX, or open one you downloaded.',
          'Match every username to the student’s university ID, and list the learners who could not be matched so you can sort them out before anything is sent.',
          'Write the result in the import format of your LMS or SIS, and show what changed since the last export.',
          'Record every export in Activity.',
        ]}
      />
    </>
  );
}
