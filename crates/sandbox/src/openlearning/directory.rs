//! Who OpenLearning knows: user accounts, the institutions whose API keys may act on them, and
//! each institution's members with their institution external ids. Seeded from the Open edX data,
//! so a learner's Open edX remote id is the external id of the same person here.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::classes::{seeded_classes, seeded_contexts, OpenLearningClass, OpenLearningContext};
use super::full_names::full_name;
use crate::openedx::data::OpenEdxData;

/// Id of the simulated institution (Demo University).
pub const OPENLEARNING_INSTITUTION_ID: &str = "demo-university";
/// Display name of [`OPENLEARNING_INSTITUTION_ID`].
pub const OPENLEARNING_INSTITUTION_NAME: &str = "Demo University";
/// An administrator API key of Demo University.
pub const OPENLEARNING_API_KEY: &str = "crosswalk-demo-openlearning-key";
/// Id of a second institution, whose key is valid but may not act for Demo University.
pub const OPENLEARNING_OTHER_INSTITUTION_ID: &str = "partner-college";
/// An administrator API key of [`OPENLEARNING_OTHER_INSTITUTION_ID`]: every Demo University
/// route answers it 403.
pub const OPENLEARNING_OTHER_INSTITUTION_KEY: &str = "crosswalk-demo-openlearning-partner-key";
/// The Open edX provider whose remote ids are the managed users' external ids.
pub const OPENLEARNING_EXTERNAL_ID_PROVIDER: &str = "saml-demo-univ";
/// Managed users seeded from the first links of [`OPENLEARNING_EXTERNAL_ID_PROVIDER`] (fewer when
/// the provider has fewer links).
pub const OPENLEARNING_MANAGED_USERS: usize = 200;
/// A Demo University managed user without an institution external id: sign-on answers 400.
pub const OPENLEARNING_USER_WITHOUT_EXTERNAL_ID: &str = "ol-u-900001";
/// An OpenLearning user who is a member of Partner College, not of Demo University: Demo
/// University's sign-on and lookup answer 404.
pub const OPENLEARNING_NON_MEMBER_USER_ID: &str = "ol-u-900002";

/// An OpenLearning user as Demo University sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ManagedUser {
    /// OpenLearning user id, e.g. `ol-u-000001`.
    pub id: String,
    /// The institution external id (the Open edX `saml-demo-univ` remote id, e.g. `s1234567`);
    /// `None` for [`OPENLEARNING_USER_WITHOUT_EXTERNAL_ID`] and [`OPENLEARNING_NON_MEMBER_USER_ID`].
    pub external_id: Option<String>,
    /// Full name.
    pub full_name: String,
    /// E-mail address (the Open edX learner's).
    pub email: String,
}

/// A user account.
#[derive(Debug)]
pub(crate) struct Account {
    pub id: String,
    pub full_name: String,
    pub email: String,
}

/// An account's membership of an institution.
#[derive(Debug)]
pub(crate) struct Member {
    pub account: usize,
    pub external_id: Option<String>,
}

/// An institution portal.
#[derive(Debug)]
pub(crate) struct Institution {
    pub id: &'static str,
    pub name: &'static str,
    pub api_key: &'static str,
    pub members: Vec<Member>,
    pub classes: Vec<OpenLearningClass>,
    pub contexts: Vec<OpenLearningContext>,
    member_by_account: HashMap<usize, usize>,
    member_by_external_id: HashMap<String, usize>,
}

impl Institution {
    fn new(id: &'static str, name: &'static str, api_key: &'static str, members: Vec<Member>) -> Self {
        let member_by_account = members.iter().enumerate().map(|(m, member)| (member.account, m)).collect();
        let member_by_external_id = members.iter().enumerate().filter_map(|(m, member)| Some((member.external_id.clone()?, m))).collect();
        Self { id, name, api_key, members, classes: Vec::new(), contexts: Vec::new(), member_by_account, member_by_external_id }
    }

    pub fn member_of_account(&self, account: usize) -> Option<&Member> {
        self.member_by_account.get(&account).map(|&m| &self.members[m])
    }

    pub fn member_by_external_id(&self, external_id: &str) -> Option<&Member> {
        self.member_by_external_id.get(external_id).map(|&m| &self.members[m])
    }

    pub fn class(&self, class_id: &str) -> Option<&OpenLearningClass> {
        self.classes.iter().find(|c| c.id == class_id)
    }

    /// The class a context is linked to; `None` when it is not linked (or never seen).
    pub fn class_of_context(&self, context_id: &str) -> Option<&OpenLearningClass> {
        let context = self.contexts.iter().find(|c| c.id == context_id)?;
        self.class(context.class_id.as_deref()?)
    }
}

/// Every account and institution.
#[derive(Debug)]
pub(crate) struct Directory {
    pub accounts: Vec<Account>,
    pub institutions: Vec<Institution>,
    account_by_id: HashMap<String, usize>,
}

impl Directory {
    /// Seeds the directory: the first [`OPENLEARNING_MANAGED_USERS`] learners linked to
    /// [`OPENLEARNING_EXTERNAL_ID_PROVIDER`] (in the API's row order) become Demo University's
    /// managed users `ol-u-000001`, `ol-u-000002`, ..., then the two edge cases.
    pub fn seed(data: &OpenEdxData) -> Self {
        let mut accounts = Vec::with_capacity(OPENLEARNING_MANAGED_USERS + 2);
        let mut demo_members = Vec::with_capacity(OPENLEARNING_MANAGED_USERS + 1);
        if let Some(rows) = data.rows(OPENLEARNING_EXTERNAL_ID_PROVIDER) {
            for row in 0..rows.len().min(OPENLEARNING_MANAGED_USERS) as u32 {
                let learner = rows.learner(row);
                demo_members.push(Member { account: accounts.len(), external_id: Some(rows.remote_id(row).to_owned()) });
                accounts.push(Account {
                    id: format!("ol-u-{:06}", accounts.len() + 1),
                    full_name: full_name(data.username(learner)),
                    email: data.email(learner),
                });
            }
        }
        demo_members.push(Member { account: accounts.len(), external_id: None });
        accounts.push(Account {
            id: OPENLEARNING_USER_WITHOUT_EXTERNAL_ID.to_owned(),
            full_name: "Robin Visiting-Scholar".to_owned(),
            email: "robin.visiting@guest.example.edu".to_owned(),
        });
        let partner_members = vec![Member { account: accounts.len(), external_id: Some("PC-2024-0042".to_owned()) }];
        accounts.push(Account {
            id: OPENLEARNING_NON_MEMBER_USER_ID.to_owned(),
            full_name: "Jordan Partner".to_owned(),
            email: "jordan.partner@partner-college.example.org".to_owned(),
        });

        let user_ids: Vec<String> =
            demo_members.iter().filter(|m| m.external_id.is_some()).map(|m| accounts[m.account].id.clone()).collect();
        let mut demo = Institution::new(OPENLEARNING_INSTITUTION_ID, OPENLEARNING_INSTITUTION_NAME, OPENLEARNING_API_KEY, demo_members);
        demo.classes = seeded_classes(&user_ids);
        demo.contexts = seeded_contexts();
        let partner =
            Institution::new(OPENLEARNING_OTHER_INSTITUTION_ID, "Partner College", OPENLEARNING_OTHER_INSTITUTION_KEY, partner_members);

        let account_by_id = accounts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        Self { accounts, institutions: vec![demo, partner], account_by_id }
    }

    pub fn account_index(&self, user_id: &str) -> Option<usize> {
        self.account_by_id.get(user_id).copied()
    }

    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.id == id)
    }

    /// The institution an API key acts for.
    pub fn institution_of_key(&self, api_key: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.api_key == api_key)
    }

    /// Demo University's view of every account: its members in seeded order, then the others.
    pub fn managed_users(&self) -> Vec<ManagedUser> {
        let demo = &self.institutions[0];
        self.accounts
            .iter()
            .enumerate()
            .map(|(i, account)| ManagedUser {
                id: account.id.clone(),
                external_id: demo.member_of_account(i).and_then(|m| m.external_id.clone()),
                full_name: account.full_name.clone(),
                email: account.email.clone(),
            })
            .collect()
    }
}
