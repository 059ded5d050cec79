//! Automatic courtesy messages and what customers said of the service: the greeting on a
//! customer's first contact, the satisfaction survey after a resolve, and the survey report.

use serde::{Deserialize, Serialize};
use switchboard_automation::CustomerTexts;
use ts_rs::TS;

/// The greeting of one number, or (`phone_number_id` absent) of every number without its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Greeting {
    #[serde(default)]
    pub phone_number_id: Option<String>,
    /// A disabled greeting of a number also silences the default there.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// What the customer reads, per language (at most 4,096 characters each).
    pub text: CustomerTexts,
}

/// `GET` and `PUT /api/v1/greetings` (rule managers): every greeting. A `PUT` replaces them
/// all; at most one per number and one default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GreetingSettings {
    pub greetings: Vec<Greeting>,
}

/// The satisfaction survey of one number, or (`phone_number_id` absent) of every number
/// without its own. The customer picks one of five rows (★ to ★★★★★) from a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatSurvey {
    #[serde(default)]
    pub phone_number_id: Option<String>,
    /// A disabled survey of a number also silences the default there.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// The question above the list (at most 1,024 characters each).
    pub question: CustomerTexts,
    /// The button that opens the list (at most 20 characters each).
    pub button: CustomerTexts,
    /// The thank-you sent after the first answer (at most 4,096 characters each).
    pub thanks: CustomerTexts,
}

/// `GET` and `PUT /api/v1/csat/settings` (rule managers): every survey. A `PUT` replaces them
/// all; at most one per number and one default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatSettings {
    pub surveys: Vec<CsatSurvey>,
}

fn enabled() -> bool {
    true
}

/// `GET /api/v1/csat?from=&to=&number=` (report viewers): answers given between `from` and
/// `to` (milliseconds since the epoch; the last 30 days by default), on one number or all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatQuery {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub from: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub to: Option<i64>,
    #[serde(default)]
    pub number: Option<String>,
}

/// Scores summarised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatFigures {
    #[ts(type = "number")]
    pub count: u64,
    /// The mean score, 1 to 5; absent without answers.
    pub mean: Option<f64>,
    /// The population standard deviation of the scores; absent without answers.
    pub std_dev: Option<f64>,
    /// How many answers gave 1, 2, 3, 4 and 5 (five numbers).
    #[ts(type = "number[]")]
    pub distribution: Vec<u64>,
}

/// The scores of the conversations one agent held when they were resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentCsat {
    #[ts(type = "number | null")]
    pub user_id: Option<i64>,
    pub name: String,
    pub figures: CsatFigures,
}

/// The scores of one team's conversations; `team_id` absent: those of no team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamCsat {
    #[ts(type = "number | null")]
    pub team_id: Option<i64>,
    pub name: String,
    pub figures: CsatFigures,
}

/// One answered survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatAnswer {
    #[ts(type = "number")]
    pub survey_id: i64,
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub phone_number_id: String,
    #[ts(type = "number | null")]
    pub agent_id: Option<i64>,
    #[ts(type = "number | null")]
    pub team_id: Option<i64>,
    pub score: u8,
    #[ts(type = "number")]
    pub sent_at: i64,
    #[ts(type = "number")]
    pub answered_at: i64,
}

/// The answer to `GET /api/v1/csat`: only conversations the caller may read count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsatReport {
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    pub overall: CsatFigures,
    /// Surveys sent in the period (answered or not), and those not sent because the
    /// customer's 24-hour window had closed.
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub skipped_window_closed: u64,
    pub agents: Vec<AgentCsat>,
    pub teams: Vec<TeamCsat>,
    /// The latest answers, newest first (at most 200).
    pub answers: Vec<CsatAnswer>,
}
