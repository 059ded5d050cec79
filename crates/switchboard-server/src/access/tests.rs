use super::*;
use proptest::prelude::*;
use rusqlite::params;

const NUMBERS: [&str; 3] = ["111", "222", "33'3"];

fn team_set(ids: &[i64], numbers: &[&str]) -> TeamSet {
    TeamSet {
        ids: ids.iter().copied().collect(),
        numbers: numbers.iter().map(|n| n.to_string()).collect(),
    }
}

fn arb_team_set() -> impl Strategy<Value = TeamSet> {
    (
        proptest::collection::btree_set(1i64..4, 0..3),
        proptest::collection::btree_set(0usize..3, 0..3),
    )
        .prop_map(|(ids, numbers)| TeamSet {
            ids,
            numbers: numbers.into_iter().map(|i| NUMBERS[i].to_owned()).collect(),
        })
}

fn arb_access() -> impl Strategy<Value = Access> {
    (
        proptest::collection::btree_set(
            prop_oneof![
                Just(Permission::ReadAssigned),
                Just(Permission::ReadTeam),
                Just(Permission::ReadAll),
                Just(Permission::Reply),
            ],
            0..4,
        ),
        proptest::option::of(proptest::collection::btree_set(
            (0usize..3).prop_map(|i| NUMBERS[i].to_owned()),
            0..3,
        )),
        proptest::option::of(arb_team_set()),
        proptest::option::of(arb_team_set()),
    )
        .prop_map(|(permissions, numbers, teams, own)| {
            Access::new(7, permissions, numbers, teams, own)
        })
}

/// (number, team, assignee)
fn arb_conversations() -> impl Strategy<Value = Vec<(usize, Option<i64>, Option<i64>)>> {
    proptest::collection::vec(
        (
            0usize..3,
            proptest::option::of(1i64..4),
            proptest::option::of(6i64..9),
        ),
        1..20,
    )
}

proptest! {
    /// Lists (SQL) and single checks and live events (Rust) never disagree about what a user
    /// may read, whatever the role's permissions and scope.
    #[test]
    fn sql_and_rust_agree(access in arb_access(), rows in arb_conversations()) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE conversations (id INTEGER PRIMARY KEY, phone_number_id TEXT NOT NULL,
                 team_id INTEGER, assigned_user_id INTEGER)",
        )
        .unwrap();
        for (i, (number, team, assignee)) in rows.iter().enumerate() {
            conn.execute(
                "INSERT INTO conversations VALUES (?1, ?2, ?3, ?4)",
                params![i as i64, NUMBERS[*number], team, assignee],
            )
            .unwrap();
        }
        let sql = format!("SELECT id FROM conversations c WHERE {} ORDER BY id", access.sql("c"));
        let listed: Vec<i64> = conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let judged: Vec<i64> = rows
            .iter()
            .enumerate()
            .filter(|(_, (number, team, assignee))| access.reads(NUMBERS[*number], *team, *assignee))
            .map(|(i, _)| i as i64)
            .collect();
        prop_assert_eq!(listed, judged, "condition: {}", sql);
    }

    /// Without any read permission nothing is readable, whatever the scope.
    #[test]
    fn no_read_permission_reads_nothing(
        numbers in proptest::option::of(proptest::collection::btree_set((0usize..3).prop_map(|i| NUMBERS[i].to_owned()), 0..3)),
        teams in proptest::option::of(arb_team_set()),
        rows in arb_conversations(),
    ) {
        let access = Access::new(7, [Permission::Reply, Permission::Export], numbers, teams, None);
        for (number, team, assignee) in rows {
            prop_assert!(!access.reads(NUMBERS[number], team, assignee));
        }
    }
}

#[test]
fn scope_limits_read_all_but_never_hides_own_assignments() {
    let access = Access::new(
        7,
        [Permission::ReadAll, Permission::ReadAssigned],
        Some(["111".to_owned()].into()),
        None,
        None,
    );
    assert!(access.reads("111", None, None));
    assert!(
        !access.reads("222", None, None),
        "another number is out of scope"
    );
    assert!(access.reads("222", None, Some(7)), "own assignment");
    assert!(!access.reads_everything());
    assert!(!access.reads_only_assigned());
}

#[test]
fn team_reading_follows_transfers() {
    // Team 1 serves number 111; a conversation on 222 transferred to team 1 belongs to it, and
    // one on 111 transferred to team 2 no longer does.
    let access = Access::new(
        7,
        [Permission::ReadTeam],
        None,
        None,
        Some(team_set(&[1], &["111"])),
    );
    assert!(access.reads("111", None, None));
    assert!(access.reads("222", Some(1), None));
    assert!(!access.reads("111", Some(2), None));
    assert!(!access.reads("222", None, None));
    assert!(!access.reads("111", Some(2), Some(7)), "no read_assigned");
}

#[test]
fn built_in_roles_load_without_a_scope() {
    let conn = Connection::open_in_memory().unwrap();
    let privacy = PrivacySettings::default();
    for role in [
        switchboard_domain::Role::Admin,
        switchboard_domain::Role::Supervisor,
        switchboard_domain::Role::Agent,
    ] {
        let user = UserProfile::builtin(7, "u", "U", role);
        let access = Access::load(&conn, &user, &privacy).unwrap();
        assert_eq!(
            access.reads_everything(),
            role != switchboard_domain::Role::Agent
        );
        assert_eq!(
            access.reads_only_assigned(),
            role == switchboard_domain::Role::Agent
        );
        assert_eq!(
            access.may(Permission::SeeUnmaskedNumbers),
            privacy.unmasked_roles.contains(&role)
        );
        assert_eq!(access.sql("c") == "1", access.reads_everything());
    }
}

#[test]
fn the_board_shows_the_lines_of_the_numbers_and_teams_read() {
    let board = SupervisorBoard {
        at: 0,
        agents: Vec::new(),
        queues: [
            (Some("111"), None),
            (Some("222"), None),
            (None, Some(1)),
            (None, Some(2)),
        ]
        .into_iter()
        .map(|(number, team)| switchboard_protocol::QueueDepth {
            name: format!("{number:?}{team:?}"),
            phone_number_id: number.map(str::to_owned),
            team_id: team,
            waiting: 1,
            longest_wait_seconds: None,
            oldest_conversation_id: None,
        })
        .collect(),
    };
    let lines = |access: &Access| -> Vec<(Option<String>, Option<i64>)> {
        access
            .board(&board)
            .queues
            .into_iter()
            .map(|q| (q.phone_number_id, q.team_id))
            .collect()
    };
    let everything = Access::new(7, [Permission::ReadAll], None, None, None);
    assert_eq!(lines(&everything).len(), 4);
    let north = Access::new(
        7,
        [Permission::ReadAll],
        Some(["111".to_owned()].into()),
        Some(team_set(&[1], &["111"])),
        None,
    );
    assert_eq!(
        lines(&north),
        vec![(Some("111".to_owned()), None), (None, Some(1))]
    );
    let team_two = Access::new(
        7,
        [Permission::ReadTeam],
        None,
        None,
        Some(team_set(&[2], &["222"])),
    );
    assert_eq!(
        lines(&team_two),
        vec![(Some("222".to_owned()), None), (None, Some(2))]
    );
}

#[test]
fn a_token_is_never_wider_than_the_rights_of_who_made_it() {
    let riyadh = || TeamSet {
        ids: [1].into(),
        numbers: ["riyadh".to_string()].into(),
    };
    let creator = Access::new(
        7,
        [Permission::ReadAll, Permission::ManageUsers],
        Some(["riyadh".to_string(), "jeddah".to_string()].into()),
        Some(riyadh()),
        None,
    );
    // A token with no scope of its own keeps the creator's; permissions the creator lacks
    // are dropped.
    let token = creator.narrowed(&[Permission::ReadAll, Permission::Broadcast], None, None);
    assert_eq!(token.permissions(), vec![Permission::ReadAll]);
    assert!(token.reads("riyadh", None, None));
    assert!(!token.reads("dubai", None, None));
    assert!(
        !token.reads("jeddah", None, None),
        "outside the creator's teams"
    );
    // A token asking for numbers outside the creator's gets only the common ones.
    let token = creator.narrowed(
        &[Permission::ReadAll],
        Some(["riyadh".to_string(), "dubai".to_string()].into()),
        Some(TeamSet {
            ids: [1, 2].into(),
            numbers: ["riyadh".to_string(), "dubai".to_string()].into(),
        }),
    );
    assert!(token.reads("riyadh", None, None));
    assert!(!token.reads("dubai", None, None));
    assert!(
        !token.reads("riyadh", Some(2), None),
        "team 2 is not the creator's"
    );
    // An unscoped creator gives the token exactly its own scope.
    let admin = Access::new(1, [Permission::ReadAll], None, None, None);
    let token = admin.narrowed(
        &[Permission::ReadAll],
        Some(["dubai".to_string()].into()),
        None,
    );
    assert!(token.reads("dubai", None, None));
    assert!(!token.reads("riyadh", None, None));
}
