//! Every lesson run has an event and a memory budget, enforced by the session whatever the model:
//! a run that uses one up stops with a message naming it and saying how to raise it; raising it
//! goes on to exactly the state an unbudgeted run reaches; and where a run stops does not depend on
//! how the front end slices its work.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::lesson::{self, catalog};
use gmplab::session::budget::{Budget, Exceeded, MEMORY_CHECK_EVENTS};
use gmplab::session::{report, Command, Session};
use gmplab::sim::scenario::Stepping;
use gmplab::sim::text::Lang;

fn session(id: &str) -> Session {
    let l = catalog::get(id).unwrap_or_else(|| panic!("no lesson {id}"));
    let p = l.default_params();
    Session::new(l, p, 7).expect("defaults build")
}

fn run(s: &mut Session, events: u64) {
    s.apply(Command::RunSlice { max_events: events })
        .expect("run");
}

#[test]
fn every_lesson_stops_exactly_at_its_event_budget_and_says_how_to_raise_it() {
    for l in catalog::lessons() {
        // Some Go-program lessons end after a few dozen steps: stop those half way.
        let mut probe = session(&l.id);
        run(&mut probe, 2_000);
        let limit = (probe.step() / 2).clamp(1, 1_000);
        let mut s = session(&l.id).with_budget(Budget::events(limit));
        run(&mut s, u64::MAX);
        assert_eq!(s.step(), limit, "{}", l.id);
        assert!(s.is_done(), "{}", l.id);
        assert_eq!(s.exceeded(), Some(Exceeded::Events { limit }));
        let snap = s.snapshot(Lang::En);
        let msg = snap.limit.expect("a limit message");
        let shown = if limit == 1_000 {
            "1,000".to_string()
        } else {
            limit.to_string()
        };
        assert!(msg.contains(&format!("after {shown} events")), "{msg}");
        assert!(msg.contains("event budget"), "{msg}");
        assert!(msg.contains("Raise the budget") && msg.contains("--max-events"));
        assert!(s
            .snapshot(Lang::Zh)
            .limit
            .is_some_and(|m| m.contains("事件预算")));
        // Nothing moves the run past its budget: not a step, not play, not a seek.
        s.apply(Command::Step).expect("step");
        s.apply(Command::Advance {
            dt: u64::MAX / 2,
            max_events: 1_000,
        })
        .expect("advance");
        s.apply(Command::Seek(5_000)).expect("seek");
        assert_eq!(s.step(), limit, "{}", l.id);
    }
}

#[test]
fn raising_the_budget_goes_on_to_the_same_state_as_a_run_that_never_stopped() {
    for l in catalog::lessons() {
        let mut straight = session(&l.id);
        run(&mut straight, 5_000);
        let target = straight.step();

        let limit = (target / 3).clamp(1, 1_000);
        let mut stopped = session(&l.id).with_budget(Budget::events(limit));
        let mut raises = 0;
        while stopped.step() < target {
            let left = target - stopped.step();
            run(&mut stopped, left);
            if stopped.exceeded().is_some() {
                assert!(stopped.raise_budget());
                raises += 1;
            }
        }
        assert_eq!(
            stopped.scenario().state_hash(),
            straight.scenario().state_hash(),
            "{}",
            l.id
        );
        assert!(raises >= 1, "{}: the budget never stopped it", l.id);
        // Going back below the budget and forwards again is allowed, and exact.
        stopped.apply(Command::Seek(target / 2)).expect("seek back");
        assert!(stopped.exceeded().is_none());
        stopped.apply(Command::Seek(target)).expect("seek forward");
        assert_eq!(
            stopped.scenario().state_hash(),
            straight.scenario().state_hash()
        );
    }
}

/// A worker pool with a million-slot buffer and one slow worker: its queue grows without end.
fn growing_pool() -> Session {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/lessons/worker-pool.md"
    ))
    .expect("readable")
    .replace(
        "min = 0\nmax = 1000\ndefault = 100",
        "min = 0\nmax = 1000000\ndefault = 1000000",
    );
    let l = lesson::parse(&src, "growing.md").expect("parses");
    let p = l
        .resolve([
            ("arrival_rate", "20000"),
            ("service_mean_ms", "200"),
            ("workers", "1"),
            ("buffer", "1000000"),
        ])
        .expect("in range");
    Session::new(l, p, 3).expect("builds")
}

#[test]
fn a_state_that_outgrows_the_memory_budget_stops_at_a_check_and_names_the_budget() {
    let budget = Budget {
        max_events: u64::MAX,
        max_bytes: 4 << 20,
    };
    let mut s = growing_pool().with_budget(budget);
    run(&mut s, 50_000_000);
    let Some(Exceeded::Memory { limit, used }) = s.exceeded() else {
        panic!("expected the memory budget, got {:?}", s.exceeded());
    };
    assert_eq!(limit, 4 << 20);
    assert!(used > limit);
    // Checked every 65,536 events: it stopped at the first check over the budget, so the state
    // one check earlier was within it.
    assert_eq!(s.step() % MEMORY_CHECK_EVENTS, 0);
    let earlier = s.step() - MEMORY_CHECK_EVENTS;
    s.apply(Command::Seek(earlier)).expect("seek back");
    assert!(s.exceeded().is_none(), "one check earlier it fitted");
    s.apply(Command::Seek(earlier + MEMORY_CHECK_EVENTS))
        .expect("seek forward");
    assert!(matches!(s.exceeded(), Some(Exceeded::Memory { .. })));
    let msg = s.snapshot(Lang::En).limit.expect("message");
    assert!(
        msg.contains("memory budget of 4.0 MiB") && msg.contains("--max-memory-mb"),
        "{msg}"
    );

    // Raised, it goes on from where it stopped.
    let at = s.step();
    assert!(s.raise_budget());
    assert!(s.budget().max_bytes >= 2 * used);
    run(&mut s, 1_000);
    assert_eq!(s.step(), at + 1_000);
}

#[test]
fn where_a_run_stops_does_not_depend_on_how_it_was_sliced() {
    let budget = Budget {
        max_events: u64::MAX,
        max_bytes: 4 << 20,
    };
    let mut whole = growing_pool().with_budget(budget);
    whole
        .apply(Command::RunUnrecorded {
            max_events: u64::MAX,
        })
        .expect("run");
    let mut sliced = growing_pool().with_budget(budget);
    let mut k = 0u64;
    while !sliced.is_done() {
        // Uneven slices, and play by virtual time in between.
        k += 1;
        if k % 3 == 0 {
            sliced
                .apply(Command::Advance {
                    dt: 1_000_000,
                    max_events: 997,
                })
                .expect("advance");
        } else {
            run(&mut sliced, 4_093 + k % 7);
        }
    }
    assert_eq!(sliced.step(), whole.step());
    assert_eq!(sliced.exceeded(), whole.exceeded());
    assert_eq!(
        sliced.scenario().state_hash(),
        whole.scenario().state_hash()
    );
}

#[test]
fn the_cli_report_names_the_budget_and_where_the_run_was() {
    let l = catalog::get("worker-pool").expect("lesson");
    let p = l.default_params();
    let err = report::run_to_end(l, p, 1, Budget::events(10_000)).expect_err("over budget");
    assert!(
        err.contains("10,000 events") && err.contains("--max-events"),
        "{err}"
    );
    assert!(err.contains("s of simulated time"), "{err}");
    let l = catalog::get("worker-pool").expect("lesson");
    let p = l.default_params();
    let tiny = Budget {
        max_events: u64::MAX,
        max_bytes: 1_000,
    };
    let err = report::run_to_end(l, p, 1, tiny).expect_err("over budget");
    assert!(err.contains("memory budget"), "{err}");
}

/// One way a front end may drive a session.
#[derive(Clone, Debug)]
enum Drive {
    Slice(u64),
    Unrecorded(u64),
    Advance(u64),
    Step,
    Back(u64),
}

fn drive() -> impl proptest::strategy::Strategy<Value = Drive> {
    use proptest::prelude::*;
    prop_oneof![
        (1u64..3_000).prop_map(Drive::Slice),
        (1u64..3_000).prop_map(Drive::Unrecorded),
        (1u64..50_000_000).prop_map(Drive::Advance),
        Just(Drive::Step),
        (1u64..500).prop_map(Drive::Back),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the lesson, the budget and the way the run is driven (slices, play, single steps,
    /// steps back), the run stops exactly at its budget or its natural end, and the state there is
    /// the state of a run driven straight to it.
    #[test]
    fn any_budget_under_any_driving_stops_at_the_same_step_and_state(
        lesson in 0usize..64,
        limit in 1u64..4_000,
        moves in proptest::collection::vec(drive(), 1..40),
    ) {
        let lessons = catalog::lessons();
        let id = lessons[lesson % lessons.len()].id.clone();
        let mut s = session(&id).with_budget(Budget::events(limit));
        for m in &moves {
            let cmd = match *m {
                Drive::Slice(n) => Command::RunSlice { max_events: n },
                Drive::Unrecorded(n) => Command::RunUnrecorded { max_events: n },
                Drive::Advance(dt) => Command::Advance { dt, max_events: 2_000 },
                Drive::Step => Command::Step,
                Drive::Back(n) => Command::StepBack(n),
            };
            s.apply(cmd).expect("no command fails");
            proptest::prop_assert!(s.step() <= limit);
        }
        s.apply(Command::RunSlice { max_events: u64::MAX }).expect("run");
        let mut straight = session(&id);
        straight.apply(Command::RunUnrecorded { max_events: limit }).expect("run");
        proptest::prop_assert_eq!(s.step(), straight.step());
        proptest::prop_assert_eq!(s.scenario().state_hash(), straight.scenario().state_hash());
        proptest::prop_assert_eq!(s.exceeded().is_some(), !straight.is_done());
    }
}
