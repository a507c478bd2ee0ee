//! The TypeScript side of every type that crosses the IPC bridge, generated from these Rust types.
//!
//! `ui/src/bindings.ts` is this function's output. `cargo test` fails when the file drifts; run
//! `make bindings` (or `UPDATE_BINDINGS=1 cargo test -p crosswalk-core --test bindings`) to rewrite it.

use ts_rs::TS;

use crate::activity::{ActivityEntry, ActivityList, ActivityQuery, Face, Outcome};
use crate::app_info::AppInfo;
use crate::connection::{
    ApiKeyStyle, ClientAuth, ConnectionKind, NetworkSettings, OoapiSettings, OoapiTransport, OpenEdxSettings, OpenLearningSettings,
    Profile, ProfileDraft, ProfileSettings, ProxySettings, SecretField, TokenType,
};
use crate::connection_check::{CheckStep, ConnectionCheck};
use crate::diagnostics::BundleSummary;
use crate::enrollments::results::{
    MatchedOffering, OfferingResultSettings, ResultCounts, ResultRow, ResultRowStatus, ResultSettings, ResultSource, ResultsPreview,
    ResultsProgress, ResultsRequest, ResultsSent, SendOutcome, SentRow,
};
use crate::enrollments::{
    Association, AssociationDetail, AssociationEvent, AssociationImport, AssociationList, AssociationQuery, CreateOutcome, CreateRequest,
    EnrollmentCounts, PollFailure, PollProgress, PollReport, StateChange,
};
use crate::grades::{
    ColumnMap, ColumnSource, CustomColumn, ExportOptions, ExportPreview, ExportResult, GradeFile, GradeRow, GradeRowPage, LetterBand,
    NotAttempted, OutputFormat, ReconcileProgress, ReconcileRequest, Reconciliation, ReconciliationRecord, ReportKind, RowProblem,
    RowStatus, Scale, StatusCounts, Template,
};
use crate::id_file::IdFile;
use crate::jobs::{Job, JobEvent, JobKind, JobRun};
use crate::jwt::JwtClaims;
use crate::learners::{LearnerLink, LearnerLinks};
use crate::lookup::{LookupMode, LookupProgress, LookupRequest, LookupResult, LookupRow, LookupRowInput, MatchedBy, NotChecked, Source};
use crate::mirror::{MirrorChange, MirrorStatus, SyncOptions, SyncProgress, SyncRecord};
use crate::ooapi::check::{
    CheckInput, CheckItem, CheckReport, CheckToken, DiffRow, Endpoint, TokenFacts, TokenReport, Verdict, VerdictCounts,
};
use crate::opened::OpenedFile;
use crate::openedx::{Mapping, MappingPage};
use crate::openlearning::{KnownUser, LaunchRequest, LaunchSummary, OpenLearningUser, Roster, RosterRow, ShownParam, UserRef};
use crate::permissions::{Access, PermissionCell, PermissionRow};
use crate::profiles::{ImportReport, ProfileExport, ProfileView};
use crate::secrets::{SecretSource, SecretStatus};
use crate::ErrorPayload;

/// The whole `ui/src/bindings.ts`.
pub fn typescript() -> String {
    let decls: Vec<String> = vec![
        ErrorPayload::decl(),
        AppInfo::decl(),
        BundleSummary::decl(),
        ConnectionKind::decl(),
        TokenType::decl(),
        ClientAuth::decl(),
        ApiKeyStyle::decl(),
        OpenEdxSettings::decl(),
        OpenLearningSettings::decl(),
        OoapiTransport::decl(),
        OoapiSettings::decl(),
        ProfileSettings::decl(),
        ProxySettings::decl(),
        NetworkSettings::decl(),
        SecretField::decl(),
        ProfileDraft::decl(),
        Profile::decl(),
        SecretSource::decl(),
        SecretStatus::decl(),
        ProfileView::decl(),
        ProfileExport::decl(),
        ImportReport::decl(),
        JwtClaims::decl(),
        CheckStep::decl(),
        ConnectionCheck::decl(),
        Outcome::decl(),
        Face::decl(),
        ActivityEntry::decl(),
        ActivityQuery::decl(),
        ActivityList::decl(),
        Mapping::decl(),
        MappingPage::decl(),
        LookupMode::decl(),
        MatchedBy::decl(),
        Source::decl(),
        LookupRequest::decl(),
        LookupRow::decl(),
        LookupRowInput::decl(),
        LookupProgress::decl(),
        NotChecked::decl(),
        LookupResult::decl(),
        IdFile::decl(),
        OpenedFile::decl(),
        SyncOptions::decl(),
        SyncProgress::decl(),
        SyncRecord::decl(),
        MirrorChange::decl(),
        MirrorStatus::decl(),
        LearnerLink::decl(),
        LearnerLinks::decl(),
        Access::decl(),
        PermissionCell::decl(),
        PermissionRow::decl(),
        ReportKind::decl(),
        ColumnMap::decl(),
        GradeFile::decl(),
        ReconcileRequest::decl(),
        RowStatus::decl(),
        ReconcileProgress::decl(),
        StatusCounts::decl(),
        RowProblem::decl(),
        Reconciliation::decl(),
        GradeRow::decl(),
        Association::decl(),
        AssociationEvent::decl(),
        AssociationDetail::decl(),
        EnrollmentCounts::decl(),
        AssociationQuery::decl(),
        AssociationList::decl(),
        crate::enrollments::templates::OfferingTemplate::decl(),
        crate::enrollments::student_token::StudentToken::decl(),
        CreateRequest::decl(),
        CreateOutcome::decl(),
        PollProgress::decl(),
        StateChange::decl(),
        PollFailure::decl(),
        PollReport::decl(),
        AssociationImport::decl(),
        ResultSettings::decl(),
        ResultSource::decl(),
        ResultsRequest::decl(),
        ResultRowStatus::decl(),
        ResultRow::decl(),
        OfferingResultSettings::decl(),
        ResultCounts::decl(),
        MatchedOffering::decl(),
        ResultsPreview::decl(),
        SendOutcome::decl(),
        SentRow::decl(),
        ResultsSent::decl(),
        Verdict::decl(),
        Endpoint::decl(),
        CheckItem::decl(),
        TokenFacts::decl(),
        TokenReport::decl(),
        DiffRow::decl(),
        VerdictCounts::decl(),
        CheckReport::decl(),
        CheckToken::decl(),
        CheckInput::decl(),
        ResultsProgress::decl(),
        JobKind::decl(),
        Job::decl(),
        JobEvent::decl(),
        JobRun::decl(),
        GradeRowPage::decl(),
        Template::decl(),
        OutputFormat::decl(),
        Scale::decl(),
        NotAttempted::decl(),
        LetterBand::decl(),
        ColumnSource::decl(),
        CustomColumn::decl(),
        ExportOptions::decl(),
        ExportPreview::decl(),
        ExportResult::decl(),
        ReconciliationRecord::decl(),
        UserRef::decl(),
        LaunchRequest::decl(),
        OpenLearningUser::decl(),
        KnownUser::decl(),
        ShownParam::decl(),
        LaunchSummary::decl(),
        RosterRow::decl(),
        Roster::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/core by `make bindings`. Do not edit by hand:\n// `cargo test` fails when this file and the Rust types disagree.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
