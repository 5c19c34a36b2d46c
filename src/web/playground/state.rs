//! The playground's state and reducer: the program text, its compiled session (or its compile
//! errors), and stepping. Long work (play, run to the end) runs in slices of at most ~10 ms per
//! animation frame, so a program that never ends cannot freeze the tab.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::golang::GoError;
use crate::lesson::link::BUDGET_RANGE;
use crate::lesson::program_link;
use crate::session::budget::Budget;
use crate::session::playground::{PlaygroundSession, PlaygroundSnapshot};
use crate::sim::text::Lang;

/// Steps executed between checks of the frame's time budget.
const CHUNK: u64 = 2_000;
/// Operations executed between checks of the frame's time budget (a few milliseconds in wasm).
const OPS_PER_CHUNK: u64 = 200_000;
/// Milliseconds of main-thread time one frame may spend simulating.
const FRAME_BUDGET_MS: f64 = 10.0;
/// Running to the end, frames may spend longer on the run (the board is not animating then), and
/// the board is redrawn at most every this many ms, or eight times as long as drawing it took: a
/// million goroutines make a snapshot expensive, and drawing it every frame would starve the run.
const TO_END_BUDGET_MS: f64 = 24.0;
const TO_END_REDRAW_MS: f64 = 100.0;
/// Where the learner's program is kept between visits.
pub const STORAGE_KEY: &str = "gmplab.playground.src";
/// Where saved snippets are kept: a JSON array of {name, source}, newest first.
pub const SNIPPETS_KEY: &str = "gmplab.playground.snippets";
/// Saved snippets kept (the oldest go first).
pub const MAX_SNIPPETS: usize = 20;

/// The learner's saved snippets, newest first (a damaged store reads as empty).
pub fn snippets() -> Vec<(String, String)> {
    let Some(text) = super::super::dom::storage_get(SNIPPETS_KEY) else {
        return Vec::new();
    };
    serde_json::from_str::<Vec<(String, String)>>(&text).unwrap_or_default()
}

fn save_snippet(source: &str) {
    let name = source
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("func ") && !l.starts_with("func main"))
        .or_else(|| source.lines().map(str::trim).find(|l| l.starts_with("//")))
        .unwrap_or("main")
        .chars()
        .take(40)
        .collect::<String>();
    let mut list = snippets();
    list.retain(|(_, s)| s != source);
    let n = list.len() + 1;
    list.insert(0, (format!("{n}. {name}"), source.to_string()));
    list.truncate(MAX_SNIPPETS);
    if let Ok(text) = serde_json::to_string(&list) {
        super::super::dom::storage_set(SNIPPETS_KEY, &text);
    }
}

/// Programs to start from; each is also in the conformance suite, so it behaves as real Go does.
pub const STARTERS: &[(&str, &str, &str)] = &[
    (
        "Worker pool",
        "Worker pool / 工作池",
        include_str!("../../../tests/go/programs/pattern_worker_pool.go"),
    ),
    (
        "Deadlock: unbuffered send in main",
        "死锁:main 里向无缓冲 channel 发送",
        include_str!("../../../tests/go/programs/chan_unbuffered_send_in_main.go"),
    ),
    (
        "Prime sieve",
        "素数筛",
        include_str!("../../../tests/go/programs/pattern_prime_sieve.go"),
    ),
    (
        "GOMAXPROCS(1): runnext order",
        "GOMAXPROCS(1):runnext 的顺序",
        include_str!("../../../tests/go/programs/gomaxprocs1_runnext_order.go"),
    ),
    (
        "Goroutine leak",
        "Goroutine 泄漏",
        include_str!("../../../tests/go/programs/leak_blocked_senders.go"),
    ),
    (
        "select with a timeout",
        "select 超时",
        include_str!("../../../tests/go/programs/select_timeout.go"),
    ),
    (
        "Mutex-protected counter",
        "互斥锁保护的计数器",
        include_str!("../../../tests/go/programs/mutex_counter.go"),
    ),
    (
        "Ping-pong over a channel",
        "通过 channel 打乒乓",
        include_str!("../../../tests/go/programs/pattern_ping_pong.go"),
    ),
    (
        "Preemption of a CPU-bound goroutine",
        "抢占一个 CPU 密集的 goroutine",
        include_str!("../../../tests/go/programs/lab_preemption.go"),
    ),
    (
        "A blocking syscall hands off its P",
        "阻塞的系统调用交出它的 P",
        include_str!("../../../tests/go/programs/lab_syscall_handoff.go"),
    ),
];

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Job {
    ToEnd,
    /// A shared link's exact step.
    Seek(u64),
}

#[derive(Clone)]
pub struct PgState {
    pub lang: Lang,
    pub source: Rc<str>,
    /// The source the session was compiled from (differs once the learner edits).
    pub compiled: Rc<str>,
    pub session: Option<Rc<RefCell<PlaygroundSession>>>,
    pub errors: Rc<Vec<GoError>>,
    pub snap: Option<Rc<PlaygroundSnapshot>>,
    pub playing: bool,
    /// log10 of steps per second while playing.
    pub speed_log: f64,
    pub procs: u32,
    pub seed: u64,
    pub job: Option<Job>,
    /// Fractional steps carried between frames while playing slowly.
    pub carry: f64,
    pub notices: Vec<String>,
    pub rev: u64,
    /// The keyboard help overlay is open.
    pub help: bool,
    /// When the snapshot was last rebuilt, how long that took, and how long drawing it took (the
    /// time until the next frame came), to pace redraws (`now_ms`).
    pub shown_ms: f64,
    pub snap_cost_ms: f64,
    pub draw_cost_ms: f64,
    pub just_shown: bool,
    /// The run stopped at its budget while running to the end: raising it runs on to the end
    /// (otherwise it plays on).
    pub budget_stopped_end: bool,
    /// The budget each run starts with: the link's, or what the learner raised it to.
    pub budget: Budget,
}

impl PartialEq for PgState {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev
    }
}

pub enum PgAction {
    Edit(String),
    Run,
    Step,
    Back,
    TogglePlay,
    Frame {
        dt_ms: f64,
    },
    Reset,
    ToEnd,
    SetProcs(u32),
    SetSeed(u64),
    SetSpeed(f64),
    Starter(usize),
    /// Load the i-th saved snippet.
    Saved(usize),
    /// Save the current program to the snippet list.
    Save,
    SetLang(Lang),
    Dismiss(usize),
    ShowHelp(bool),
    /// Stop playing or running to the end, keeping the state reached.
    Stop,
    /// Double the budget the run used up and go on as it was going.
    RaiseBudget,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

impl PgState {
    /// The state a page load starts in: the program from the link, else the learner's last one,
    /// else the first example.
    pub fn from_query(query: &str, lang: Lang) -> Self {
        let mut notices = Vec::new();
        let mut source = None;
        let (mut procs, mut seed, mut step) = (4u32, 1u64, None);
        let mut budget = PlaygroundSession::default_budget();
        for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            match &*k {
                "src" => match program_link::decode(&v) {
                    Ok(s) => source = Some(s),
                    Err(e) => notices.push(format!("{e}; showing your last program instead.")),
                },
                "procs" => match v.parse::<u32>() {
                    Ok(n) if (1..=64).contains(&n) => procs = n,
                    _ => notices.push(format!(
                        "GOMAXPROCS “{}” is not between 1 and 64; using 4.",
                        v.chars().take(20).collect::<String>()
                    )),
                },
                "seed" => match v.parse::<u64>() {
                    Ok(n) => seed = n,
                    Err(_) => notices.push("The seed in the link is not a number; using 1.".into()),
                },
                "step" => step = v.parse::<u64>().ok(),
                "budget" => match v.parse::<u64>() {
                    Ok(n) if BUDGET_RANGE.contains(&n) => budget.max_events = n,
                    _ => notices.push(format!(
                        "The step budget “{}” in the link is not a whole number from {} to {}; using {}.",
                        v.chars().take(20).collect::<String>(),
                        BUDGET_RANGE.start(),
                        BUDGET_RANGE.end(),
                        budget.max_events
                    )),
                },
                _ => {}
            }
        }
        let source = source
            .or_else(|| super::super::dom::storage_get(STORAGE_KEY))
            .unwrap_or_else(|| STARTERS[0].2.to_string());
        let mut st = PgState {
            lang,
            source: Rc::from(source.as_str()),
            compiled: Rc::from(""),
            session: None,
            errors: Rc::new(Vec::new()),
            snap: None,
            playing: false,
            speed_log: 1.3,
            procs,
            seed,
            job: None,
            carry: 0.0,
            notices,
            rev: 0,
            shown_ms: 0.0,
            snap_cost_ms: 0.0,
            draw_cost_ms: 0.0,
            just_shown: false,
            budget_stopped_end: false,
            budget,
            help: false,
        };
        st.compile();
        if let (Some(k), Some(_)) = (step, &st.session) {
            st.job = Some(Job::Seek(k));
        }
        st
    }

    /// Compiles the current source into a fresh session (keeping the old one's output on screen
    /// if compiling fails).
    fn compile(&mut self) {
        self.playing = false;
        self.job = None;
        match PlaygroundSession::new(&self.source, self.procs, self.seed) {
            Ok(s) => {
                let s = s.with_budget(self.budget);
                self.errors = Rc::new(Vec::new());
                self.session = Some(Rc::new(RefCell::new(s)));
                self.compiled = self.source.clone();
                self.refresh();
            }
            Err(errs) => {
                self.errors = Rc::new(errs);
            }
        }
    }

    fn refresh(&mut self) {
        let t0 = now_ms();
        self.snap = self
            .session
            .as_ref()
            .map(|s| Rc::new(s.borrow().snapshot(self.lang)));
        self.shown_ms = now_ms();
        self.snap_cost_ms = self.shown_ms - t0;
        self.just_shown = true;
        if self.snap.as_ref().is_some_and(|s| s.exit.is_some()) {
            if self.snap.as_ref().is_some_and(|s| s.budget.is_some()) && self.busy() {
                self.budget_stopped_end = self.job == Some(Job::ToEnd);
            }
            self.playing = false;
            if self.job == Some(Job::ToEnd) {
                self.job = None;
            }
        }
    }

    pub fn busy(&self) -> bool {
        self.playing || self.job.is_some()
    }

    pub fn edited(&self) -> bool {
        *self.source != *self.compiled && self.errors.is_empty()
    }

    /// The link that reopens exactly this state.
    pub fn link(&self) -> String {
        let step = self.snap.as_ref().map(|s| s.step).unwrap_or(0);
        let budget = Some(self.budget.max_events.min(*BUDGET_RANGE.end()))
            .filter(|&b| b != PlaygroundSession::default_budget().max_events)
            .map(|b| format!("&budget={b}"))
            .unwrap_or_default();
        format!(
            "page=playground&lang={}&procs={}&seed={}&step={step}{budget}&src={}",
            self.lang.code(),
            self.procs,
            self.seed,
            program_link::encode(&self.compiled)
        )
    }

    /// Runs slices until the frame's budget is spent; true if more work remains.
    fn work(&mut self, mut want: u64, until: f64) {
        let Some(s) = &self.session else { return };
        let mut s = s.borrow_mut();
        while want > 0 && !s.finished() && now_ms() < until {
            // A tight loop with nothing visible happening pauses within the operation budget, so
            // the time check comes round often whatever the program does.
            let ran = s.run_within(want.min(CHUNK), OPS_PER_CHUNK);
            want -= ran.min(want);
        }
    }
}

impl Reducible for PgState {
    type Action = PgAction;

    fn reduce(self: Rc<Self>, action: PgAction) -> Rc<Self> {
        let mut st = (*self).clone();
        st.rev += 1;
        match action {
            PgAction::Edit(text) => {
                st.source = Rc::from(text.as_str());
                super::super::dom::storage_set(STORAGE_KEY, &text);
                return Rc::new(st);
            }
            PgAction::Run => st.compile(),
            PgAction::Starter(i) => {
                if let Some((_, _, src)) = STARTERS.get(i) {
                    st.source = Rc::from(*src);
                    super::super::dom::storage_set(STORAGE_KEY, src);
                    st.compile();
                }
            }
            PgAction::Saved(i) => {
                if let Some((_, src)) = snippets().get(i) {
                    st.source = Rc::from(src.as_str());
                    super::super::dom::storage_set(STORAGE_KEY, src);
                    st.compile();
                }
            }
            PgAction::Save => {
                save_snippet(&st.source);
                return Rc::new(st);
            }
            PgAction::SetProcs(n) => {
                st.procs = n.clamp(1, 64);
                st.compile();
            }
            PgAction::SetSeed(n) => {
                st.seed = n;
                st.compile();
            }
            PgAction::SetSpeed(v) => st.speed_log = v.clamp(0.0, 5.0),
            PgAction::SetLang(l) => {
                st.lang = l;
                super::super::dom::storage_set("gmplab.lang", l.code());
            }
            PgAction::ShowHelp(on) => {
                st.help = on;
                return Rc::new(st);
            }
            PgAction::Dismiss(i) => {
                if i < st.notices.len() {
                    st.notices.remove(i);
                }
                return Rc::new(st);
            }
            PgAction::TogglePlay => {
                st.playing = !st.playing && st.session.is_some();
                st.job = None;
            }
            PgAction::Step => {
                st.playing = false;
                if let Some(s) = &st.session {
                    s.borrow_mut().step();
                }
            }
            PgAction::Back => {
                st.playing = false;
                if let Some(s) = &st.session {
                    s.borrow_mut().step_back();
                }
            }
            PgAction::Reset => {
                st.playing = false;
                st.job = None;
                if let Some(s) = &st.session {
                    s.borrow_mut().reset();
                }
            }
            PgAction::Stop => {
                st.playing = false;
                st.job = None;
            }
            PgAction::RaiseBudget => {
                let raised = st.session.as_ref().and_then(|s| {
                    let mut s = s.borrow_mut();
                    s.raise_budget().then(|| s.budget())
                });
                if let Some(budget) = raised {
                    st.budget = budget;
                    if std::mem::take(&mut st.budget_stopped_end) {
                        st.job = Some(Job::ToEnd);
                    } else {
                        st.playing = true;
                    }
                }
            }
            PgAction::ToEnd => {
                st.playing = false;
                st.job = st.session.as_ref().map(|_| Job::ToEnd);
            }
            PgAction::Frame { dt_ms } => {
                let until = now_ms() + FRAME_BUDGET_MS;
                match st.job {
                    Some(Job::ToEnd) => {
                        if st.just_shown {
                            // The first frame after a redraw measures what drawing it cost.
                            st.draw_cost_ms = now_ms() - st.shown_ms;
                            st.just_shown = false;
                        }
                        st.work(u64::MAX, now_ms() + TO_END_BUDGET_MS);
                        let finished = st.session.as_ref().is_some_and(|s| s.borrow().finished());
                        let pace = TO_END_REDRAW_MS.max(8.0 * (st.snap_cost_ms + st.draw_cost_ms));
                        if !finished && now_ms() - st.shown_ms < pace {
                            // Nothing new to draw yet: keep the revision, so no view re-renders.
                            st.rev = self.rev;
                            return Rc::new(st);
                        }
                    }
                    Some(Job::Seek(k)) => {
                        let at = st.session.as_ref().map(|s| s.borrow().steps()).unwrap_or(k);
                        if at >= k {
                            st.job = None;
                        } else {
                            st.work(k - at, until);
                            let at = st.session.as_ref().map(|s| s.borrow().steps()).unwrap_or(k);
                            if at >= k || st.session.as_ref().is_some_and(|s| s.borrow().finished())
                            {
                                st.job = None;
                            }
                        }
                    }
                    None if st.playing => {
                        let rate = 10f64.powf(st.speed_log);
                        let want = st.carry + rate * dt_ms.clamp(0.0, 100.0) / 1000.0;
                        let n = want.floor();
                        st.carry = want - n;
                        st.work(n as u64, until);
                    }
                    None => return Rc::new(st),
                }
            }
        }
        st.refresh();
        Rc::new(st)
    }
}
