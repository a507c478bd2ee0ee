// A file handed to Crosswalk from outside — on its command line, or to a second launch, which the
// running window takes over — goes to the screen the back end chose: a grade report to Grades
// (checked next), a list of identifiers to the Learners lookup. Mounted once in the shell.
import { useEffect, useEffectEvent } from 'react';
import { useNavigate } from 'react-router';
import type { OpenedFile } from '../bindings';
import { listenWhileMounted } from '../lib/appEvents';
import { backend, backendIsReachable } from '../lib/backend';
import { loadFile } from '../lib/gradesSession';
import { countOf } from '../lib/format';
import { notifyError, notifyInfo, notifyWarning } from '../lib/notify';
import { offerIds } from '../lib/offeredIds';

export function OpenedFiles() {
  const navigate = useNavigate();
  // An effect event: it always sees the current `navigate`, which the router replaces whenever the
  // location changes, without the listener below being set up again (and the core asked again).
  const open = useEffectEvent((opened: OpenedFile | null) => {
    if (!opened) return;
    switch (opened.screen) {
      case 'grades':
        loadFile(opened.file);
        void navigate('/grades');
        notifyInfo('Grade report opened', `${opened.file.file_name}: check the columns, then match it.`);
        break;
      case 'learners':
        offerIds(opened.ids);
        void navigate('/learners');
        notifyInfo('Identifiers opened', `${countOf(opened.ids.ids.length, 'identifier')} from ${opened.ids.file}: choose the provider and look them up.`);
        break;
      case 'unreadable':
        notifyWarning(`Crosswalk could not open ${opened.path}`, opened.reason);
        break;
    }
  });
  useEffect(() => {
    if (!backendIsReachable()) return;
    const take = () => {
      backend
        .takeOpenedFile()
        .then(open)
        .catch((e: unknown) => notifyError('The file could not be opened', e));
    };
    // Now for a file given at start-up, and again once listening: a file that arrived between the
    // two would otherwise be told to no one (and the event says only "take it").
    take();
    return listenWhileMounted('open-file', take, take);
  }, []);
  return null;
}
