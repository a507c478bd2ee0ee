//! Demo University's classes (deliveries of a course) and the LMS contexts linked to them.

use serde::{Deserialize, Serialize};

/// Who may enter a class, named as OpenLearning's provisioning API names class types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClassType {
    /// Anyone of the institution launching into it is enrolled.
    Open,
    /// Only learners enrolled beforehand may enter; a launch by anyone else is refused (403).
    Closed,
}

/// A class of the simulated institution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenLearningClass {
    /// Class id, the `class_id` of a sign-on, e.g. `class-intro-data`.
    pub id: String,
    /// Display name, shown on the launch page.
    pub name: String,
    /// Who may enter.
    pub class_type: ClassType,
    /// User ids enrolled beforehand (the only ones a [`ClassType::Closed`] class lets in).
    pub enrolled_user_ids: Vec<String>,
}

/// An external system's id for a class delivery (the sign-on's `context_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenLearningContext {
    /// The LMS's id, e.g. `LMS-COURSE-101`.
    pub id: String,
    /// The class it is linked to; `None` until an administrator sets it up (a learner's launch
    /// is refused meanwhile). Context ids never seeded behave the same.
    pub class_id: Option<String>,
}

/// `class-intro-data`: an open class, linked to context `LMS-COURSE-101`.
pub const OPENLEARNING_CLASS_INTRO_DATA: &str = "class-intro-data";
/// `class-ethics-ai`: an open class, linked to context `LMS-COURSE-202`.
pub const OPENLEARNING_CLASS_ETHICS_AI: &str = "class-ethics-ai";
/// `class-research-methods`: a closed class (context `LMS-COURSE-303`) that only the first three
/// seeded managed users are enrolled in; anyone else launching into it gets 403.
pub const OPENLEARNING_CLOSED_CLASS: &str = "class-research-methods";
/// A context linked to [`OPENLEARNING_CLASS_INTRO_DATA`].
pub const OPENLEARNING_LINKED_CONTEXT: &str = "LMS-COURSE-101";
/// A context known to the institution but not linked to a class yet.
pub const OPENLEARNING_UNLINKED_CONTEXT: &str = "LMS-COURSE-999";

/// How many of the first managed users are enrolled in the closed class.
const CLOSED_CLASS_ENROLLED: usize = 3;

/// The seeded classes; `user_ids` are the managed users in seeded order.
pub(crate) fn seeded_classes(user_ids: &[String]) -> Vec<OpenLearningClass> {
    let class = |id: &str, name: &str, class_type: ClassType, enrolled: &[String]| OpenLearningClass {
        id: id.to_owned(),
        name: name.to_owned(),
        class_type,
        enrolled_user_ids: enrolled.to_vec(),
    };
    vec![
        class(OPENLEARNING_CLASS_INTRO_DATA, "Introduction to Data Science \u{2014} Semester 1", ClassType::Open, &[]),
        class(OPENLEARNING_CLASS_ETHICS_AI, "Ethics of Artificial Intelligence \u{2014} Semester 1", ClassType::Open, &[]),
        class(
            OPENLEARNING_CLOSED_CLASS,
            "Research Methods \u{2014} Honours Cohort",
            ClassType::Closed,
            &user_ids[..user_ids.len().min(CLOSED_CLASS_ENROLLED)],
        ),
    ]
}

/// The seeded contexts.
pub(crate) fn seeded_contexts() -> Vec<OpenLearningContext> {
    let context = |id: &str, class_id: Option<&str>| OpenLearningContext { id: id.to_owned(), class_id: class_id.map(str::to_owned) };
    vec![
        context(OPENLEARNING_LINKED_CONTEXT, Some(OPENLEARNING_CLASS_INTRO_DATA)),
        context("LMS-COURSE-202", Some(OPENLEARNING_CLASS_ETHICS_AI)),
        context("LMS-COURSE-303", Some(OPENLEARNING_CLOSED_CLASS)),
        context(OPENLEARNING_UNLINKED_CONTEXT, None),
    ]
}
