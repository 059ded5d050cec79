//! Fine-grained permissions. The built-in roles are fixed sets of them; an admin builds custom
//! roles from any set, scoped to business numbers and teams. The server checks them on every
//! endpoint and every sync event; the desktop only uses them to decide which screens to show.

use crate::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One thing a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Permission {
    /// Read the conversations assigned to you.
    ReadAssigned,
    /// Read the conversations of the teams you belong to (a team's own numbers and the
    /// conversations transferred to it).
    ReadTeam,
    /// Read every conversation on the role's numbers and teams.
    ReadAll,
    /// Reply, write notes and tags, resolve, reopen and snooze in conversations you can read.
    Reply,
    /// Transfer a conversation you can read to another agent or team.
    Transfer,
    /// Steer routing: priorities, conversation skills, agents' capacity and skills, transfers
    /// above an agent's capacity.
    Assign,
    /// Export conversations and messages, and print transcripts.
    Export,
    /// The live agent board, queues and key figures.
    ViewReports,
    /// Test texts against the filter and see its versions and refused messages.
    ViewFilter,
    /// Change the outbound sensitive-word filter.
    ManageFilter,
    /// Read the numbers' and routing configuration.
    ManageNumbers,
    /// Create users, change their roles, unlock accounts, sign users out, define roles.
    ManageUsers,
    /// Place and release legal holds.
    ManageRetention,
    /// Search and verify the audit log.
    ViewAudit,
    /// Change and test the keyword auto-reply rules.
    ManageRules,
    /// Edit contacts, their tags and consent, merge duplicates, import and export contact
    /// lists, and save segments.
    ManageContacts,
    /// Prepare, schedule, pause, resume and cancel broadcasts.
    Broadcast,
    /// Subscribe outside systems to events (outgoing webhooks), read and redeliver their
    /// deliveries.
    ManageWebhooks,
    /// See customers' phone numbers and other masked details in full.
    SeeUnmaskedNumbers,
}

impl Permission {
    /// Every permission, in a stable order.
    pub const ALL: [Permission; 19] = [
        Permission::ReadAssigned,
        Permission::ReadTeam,
        Permission::ReadAll,
        Permission::Reply,
        Permission::Transfer,
        Permission::Assign,
        Permission::Export,
        Permission::ViewReports,
        Permission::ViewFilter,
        Permission::ManageFilter,
        Permission::ManageNumbers,
        Permission::ManageUsers,
        Permission::ManageRetention,
        Permission::ViewAudit,
        Permission::ManageRules,
        Permission::ManageContacts,
        Permission::Broadcast,
        Permission::ManageWebhooks,
        Permission::SeeUnmaskedNumbers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ReadAssigned => "read_assigned",
            Permission::ReadTeam => "read_team",
            Permission::ReadAll => "read_all",
            Permission::Reply => "reply",
            Permission::Transfer => "transfer",
            Permission::Assign => "assign",
            Permission::Export => "export",
            Permission::ViewReports => "view_reports",
            Permission::ViewFilter => "view_filter",
            Permission::ManageFilter => "manage_filter",
            Permission::ManageNumbers => "manage_numbers",
            Permission::ManageUsers => "manage_users",
            Permission::ManageRetention => "manage_retention",
            Permission::ViewAudit => "view_audit",
            Permission::ManageRules => "manage_rules",
            Permission::ManageContacts => "manage_contacts",
            Permission::Broadcast => "broadcast",
            Permission::ManageWebhooks => "manage_webhooks",
            Permission::SeeUnmaskedNumbers => "see_unmasked_numbers",
        }
    }

    /// What a built-in role may do. Whether it sees unmasked numbers is the server's privacy
    /// setting, not part of the role, so [`Permission::SeeUnmaskedNumbers`] is never listed.
    pub fn of_builtin(role: Role) -> &'static [Permission] {
        use Permission::*;
        match role {
            Role::Agent => &[ReadAssigned, Reply, Transfer],
            Role::Supervisor => &[
                ReadAssigned,
                ReadAll,
                Reply,
                Transfer,
                Assign,
                Export,
                ViewReports,
                ViewFilter,
            ],
            Role::Admin => &[
                ReadAssigned,
                ReadAll,
                Reply,
                Transfer,
                Assign,
                Export,
                ViewReports,
                ViewFilter,
                ManageFilter,
                ManageNumbers,
                ManageUsers,
                ManageRetention,
                ViewAudit,
                ManageRules,
                ManageContacts,
                Broadcast,
                ManageWebhooks,
            ],
        }
    }
}

impl std::str::FromStr for Permission {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown permission `{s}`: use one of {}",
                    Permission::ALL.map(Permission::as_str).join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for permission in Permission::ALL {
            assert_eq!(permission.as_str().parse::<Permission>(), Ok(permission));
            let json = serde_json::to_string(&permission).unwrap();
            assert_eq!(json, format!("\"{}\"", permission.as_str()));
        }
        let error = "read_everything".parse::<Permission>().unwrap_err();
        assert!(error.contains("read_all"), "{error}");
    }

    #[test]
    fn built_in_roles_nest() {
        let agent = Permission::of_builtin(Role::Agent);
        let supervisor = Permission::of_builtin(Role::Supervisor);
        let admin = Permission::of_builtin(Role::Admin);
        assert!(agent.iter().all(|p| supervisor.contains(p)));
        assert!(supervisor.iter().all(|p| admin.contains(p)));
        assert!(!admin.contains(&Permission::SeeUnmaskedNumbers));
    }
}
