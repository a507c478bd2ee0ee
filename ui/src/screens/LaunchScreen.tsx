import { NotBuilt } from '../components/NotBuilt';
import { ScreenHeader } from '../components/ScreenHeader';

export default function LaunchScreen() {
  return (
    <>
      <ScreenHeader title="Launch">
        OpenLearning courses can be opened straight from your university&apos;s systems with a single
        sign-on launch link, so students arrive already signed in and in the right course. This screen
        will create those launch links and check that they work.
      </ScreenHeader>
      <NotBuilt
        plans={[
          'Create an OpenLearning single sign-on launch link for a course or a class, ready to paste into your LMS.',
          'Test a link as a given learner and show plainly why a launch would fail (expired, wrong course, unknown learner).',
          'Record every link created or tested in Activity.',
        ]}
      />
    </>
  );
}
