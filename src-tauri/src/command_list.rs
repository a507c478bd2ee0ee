// Every app command, declared once: `module::name => "what the person was doing"` (the words the
// UI uses when the command fails). From this one list come the Tauri handler (`lib.rs`), the
// permission manifest (`build.rs`), the TypeScript command map (`ui/src/lib/commands.gen.ts`,
// written by `UPDATE_BINDINGS=1 cargo test -p crosswalk`), and the test that fails when the
// capability file, the UI's `backend.ts` or the browser mock disagree with it (`lib.rs`).
//
// This file is `include!`d by `build.rs` as well, so it holds only this macro.

/// Calls `$then!` with the whole command list.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            app::app_info => "reading Crosswalk's own settings",
            app::open_logs_folder => "opening the logs folder",
            connections::list_connections => "listing your connections",
            connections::create_connection => "saving the new connection",
            connections::update_connection => "saving the connection",
            connections::duplicate_connection => "copying the connection",
            connections::delete_connection => "deleting the connection",
            connections::set_secret => "storing the secret in the keyring",
            connections::clear_secret => "removing the secret from the keyring",
            connections::test_connection => "testing the connection",
            connections::export_connections => "exporting connections",
            connections::import_connections => "importing connections",
            learners::browse_mappings => "fetching learners from the identity provider",
            learners::lookup_cached => "looking learners up in the local mirror",
            learners::lookup_live => "looking learners up in Open edX",
            learners::cancel_task => "cancelling",
            learners::sync_provider => "copying a provider into the local mirror",
            learners::mirror_status => "reading the local mirrors",
            learners::mirror_history => "reading the sync history",
            learners::mirror_changes => "reading what a sync changed",
            learners::search_mirror => "searching the local mirror",
            learners::learner_links => "reading a learner's provider links",
            learners::check_permissions => "checking which providers each connection may read",
            learners::set_watched_providers => "saving the watched providers",
            learners::import_ids => "reading identifiers from a file",
            learners::export_lookup => "exporting the lookup results",
            activity::list_activity => "loading the activity log",
            app::reveal_path => "showing the file in its folder",
            grades::grades_open_report => "opening the grade report",
            grades::grades_inspect => "reading the grade report",
            grades::grades_demo_report => "making the demo grade report",
            grades::grades_reconcile => "matching the grade report",
            grades::grades_reopen => "reopening the reconciliation",
            grades::grades_rows => "reading the matched rows",
            grades::grades_preview => "previewing the export",
            grades::grades_export => "exporting the grades",
            grades::grades_history => "reading the reconciliation history",
            grades::grades_last_options => "reading the last export settings",
            launch::openlearning_find_user => "finding the learner in OpenLearning",
            launch::openlearning_known_users => "reading the learners found before",
            launch::launch_open => "opening the launch in your browser",
            launch::launch_copy_html => "copying the launch HTML",
            launch::launch_save_html => "saving the launch HTML",
            launch::launch_show => "making a launch to show its parameters",
            launch::launch_import_roster => "reading the roster",
            enrollments::enrollments_list => "reading the enrollment ledger",
            enrollments::enrollments_detail => "reading the association",
            enrollments::enrollments_check => "asking the home institution about the association",
            enrollments::enrollments_poll => "checking the pending enrollments",
            enrollments::enrollments_set_state => "sending the change to the home institution",
            enrollments::enrollments_create => "creating the association at the home institution",
            enrollments::enrollments_template => "making an example offering",
            enrollments::enrollments_import => "importing association ids",
            enrollments::enrollments_export => "exporting the enrollment ledger",
            enrollments::enrollments_results_preview => "preparing the results to return",
            enrollments::enrollments_results_send => "sending the results to the home institutions",
            enrollments::enrollments_results_file => "choosing a results file",
            jobs::jobs_list => "reading the schedules",
            jobs::jobs_set => "saving the schedule",
        }
    };
}
