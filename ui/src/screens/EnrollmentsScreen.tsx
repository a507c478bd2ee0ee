import { NotBuilt } from '../components/NotBuilt';
import { ScreenHeader } from '../components/ScreenHeader';

export default function EnrollmentsScreen() {
  return (
    <>
      <ScreenHeader title="Enrollments">
        When students from one institution take a course at another, the two exchange enrollment
        requests through OOAPI (the Open Education API). This screen will let you follow those requests
        between institutions and step in when one gets stuck.
      </ScreenHeader>
      <NotBuilt
        plans={[
          'Monitor incoming and outgoing enrollment requests and see where each one is stuck.',
          'Check that the access token and the other institution’s endpoints work, with a plain explanation when they do not.',
          'Send state changes (accepted, rejected, cancelled) and results (grades, completion) back to the home institution.',
          'Record every request sent in Activity.',
        ]}
      />
    </>
  );
}
