//! The app's state and the reducer that changes it. All simulation work happens here, through session
//! commands; components only read the resulting snapshot.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::lesson::link::LinkState;
use crate::lesson::{catalog, Lesson};
use crate::session::budget::Budget;
use crate::session::{Command, Session, Snapshot};
use crate::sim::params::{ParamValue, Params};
use crate::sim::text::Lang;
use crate::sim::time::Nanos;

/// Where the home page keeps a lesson file pasted for preview (`?preview=1` opens it).
pub const PREVIEW_KEY: &str = "gmplab.preview";

/// Where a lesson's last parameter settings and seed are kept, as a link query.
pub fn settings_key(lesson: &str) -> String {
    format!("gmplab.settings.{lesson}")
}

/// The lesson a link without one (or with an unknown one) opens.
const DEFAULT_LESSON: &str = "worker-pool";

/// Events executed between checks of the frame's time budget.
const CHUNK_EVENTS: u64 = 20_000;
/// Milliseconds of main-thread time one frame may spend on sliced work (a run to the end, a re-run
/// after a change, grading). Frames then come at about 30 per second while the progress bar moves,
/// and a frame's task, redraw included, stays well under the 50 ms that makes a page feel stuck.
const FRAME_BUDGET_MS: f64 = 24.0;
/// While running to the end, the page redraws at most this often.
const END_REDRAW_MS: f64 = 100.0;
/// Most events one frame of play executes (the simulation falls behind real time beyond this).
const PLAY_MAX_EVENTS: u64 = 400_000;
/// The preview of a whole run (shown before the first Play) gives up beyond this many events: a
/// run that long is not worth the learner's CPU before they ask for it.
const PREVIEW_MAX_EVENTS: u64 = 3_000_000;
/// Milliseconds per frame the preview may take: less than other work, it is not what anyone waits for.
const PREVIEW_FRAME_MS: f64 = 12.0;
/// Wall-clock seconds a run's planned length should take at the speed a lesson opens with: a 5 ms
/// Go program plays in about 10 s instead of in one frame, a 10-minute scenario in about a minute.
const WATCH_MIN_S: f64 = 10.0;
const WATCH_MAX_S: f64 = 60.0;

/// Sliced work in progress: the session is brought to a target a frame at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Virtual time (after a parameter change, to keep the learner's place).
    Time(Nanos),
    /// An exact step (a shared link).
    Step(u64),
    /// The end of the run.
    End,
}

#[derive(Clone)]
pub struct AppState {
    pub lang: Lang,
    pub lesson: Rc<Lesson>,
    pub session: Rc<RefCell<Session>>,
    pub snap: Rc<Snapshot>,
    pub playing: bool,
    /// log10 of simulated seconds per real second.
    pub speed_log: f64,
    pub job: Option<Target>,
    pub notices: Vec<String>,
    /// Values a learner typed that were refused, by parameter name, with the reason.
    pub param_errors: BTreeMap<String, String>,
    /// Bumped on every change, so views can tell frames apart.
    pub rev: u64,
    /// When the snapshot was last rebuilt (`now_ms`), to pace redraws during long runs.
    pub shown_ms: f64,
    /// Embed mode (inside a course page's iframe), if the link asked for it.
    pub embed: Option<super::embed::Embed>,
    /// The keyboard help overlay is open.
    pub help: bool,
    /// The lesson is a pasted file under preview, not a built-in one.
    pub previewing: bool,
    /// Compare mode: an earlier run's figures, drawn under the current ones.
    pub pinned: Option<Rc<Vec<crate::sim::figure::Figure>>>,
    /// Questions answered, challenges graded, grading in progress, and the tour's place.
    pub quiz: super::grading::Quiz,
    /// A run to the end stopped at the budget: raising it runs on to the end (else it plays on).
    pub budget_stopped_end: bool,
    /// The whole run at the current settings, computed in the background while nothing has been
    /// played, so the charts show where the run goes before Play (and follow a change of settings).
    pub preview: Option<Rc<Vec<crate::sim::figure::Figure>>>,
    preview_job: Option<Rc<RefCell<Session>>>,
    /// Where playback's own clock stands (virtual time), while playing.
    play_at: Option<Nanos>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev
    }
}

pub enum Action {
    /// One animation frame passed (`dt_ms` since the last); `now_ms` reads the clock for budgets.
    Frame {
        dt_ms: f64,
    },
    TogglePlay,
    /// Play (true) or pause (false), whatever the current state (embed commands, autoplay).
    SetPlaying(bool),
    /// Open or close the keyboard help (`?`, Escape).
    ShowHelp(bool),
    /// Pin the current run's charts for comparison, or unpin them.
    Pin(bool),
    Step,
    StepBack,
    Reset,
    RunToEnd,
    CancelJob,
    /// Double the budget the run used up and go on as it was going (playing, or to the end).
    RaiseBudget,
    SetParam {
        name: String,
        raw: String,
    },
    SetParamValue {
        name: String,
        value: ParamValue,
    },
    ResetParams,
    SetSeed(String),
    SetLang(Lang),
    SetSpeed(f64),
    Dismiss(usize),
    /// Predict `choice` for question `q`, then run the question.
    Ask {
        q: usize,
        choice: usize,
    },
    /// Grade challenge `c` with the current parameters.
    Grade {
        c: usize,
    },
    TourNext,
    TourClose,
    /// Load challenge `c`'s scenario (its setup, the learner's free settings, its first seed), so
    /// the learner can watch what grading runs.
    LoadChallenge {
        c: usize,
    },
}

/// The speed a lesson opens with (log10 of simulated seconds per real second): 1× for a run that
/// lasts between 10 s and a minute, slower for shorter runs and faster for longer ones.
fn opening_speed_log(horizon: Nanos) -> f64 {
    let secs = crate::sim::time::to_secs(horizon);
    if secs <= 0.0 {
        return 0.0;
    }
    let speed = if secs < WATCH_MIN_S {
        secs / WATCH_MIN_S
    } else if secs > WATCH_MAX_S {
        secs / WATCH_MAX_S
    } else {
        1.0
    };
    libm::log10(speed).clamp(-3.0, 3.0)
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

impl AppState {
    /// The state a page load starts in, from the URL (and the learner's remembered language).
    pub fn from_url(query: &str) -> Self {
        let (link, mut notices) = LinkState::decode(query);
        let lang = link
            .lang
            .or_else(|| super::dom::storage_get("gmplab.lang").and_then(|l| Lang::parse(&l)))
            .or_else(super::dom::browser_lang)
            .unwrap_or(Lang::En);
        let preview = query.contains("preview=1");
        let previewed = if preview {
            match super::dom::storage_get(PREVIEW_KEY) {
                Some(text) => match crate::lesson::parse(&text, "your-lesson.md") {
                    Ok(l) => Some(l),
                    Err(e) => {
                        notices.push(format!("Your lesson could not be previewed: {e}"));
                        None
                    }
                },
                None => {
                    notices.push(
                        "There is no lesson to preview: paste one on the home page first.".into(),
                    );
                    None
                }
            }
        } else {
            None
        };
        let previewing = previewed.is_some();
        let wanted = link.lesson.clone().unwrap_or_else(|| DEFAULT_LESSON.into());
        let lesson = match previewed.or_else(|| catalog::get(&wanted)) {
            Some(l) => l,
            None => {
                let fallback = catalog::get(DEFAULT_LESSON)
                    .or_else(|| catalog::lessons().into_iter().next())
                    .unwrap_or_else(|| unreachable!("the build embeds at least one lesson"));
                notices.push(format!(
                    "There is no lesson called “{}”; showing “{}” instead.",
                    wanted.chars().take(40).collect::<String>(),
                    fallback.title.get(lang)
                ));
                fallback
            }
        };
        let embed = super::embed::Embed::from_query(query);
        // A plain link to a lesson (the home page's) brings back the learner's own last settings;
        // a link that carries settings, a preview and an embedded lesson show what they say.
        let mut link = link;
        let plain = link.params.is_empty() && link.step == 0 && !query.contains("seed=");
        if plain && embed.is_none() && !previewing {
            if let Some(saved) = super::dom::storage_get(&settings_key(&lesson.id)) {
                let (kept, _) = LinkState::decode(&saved);
                if !kept.params.is_empty() || kept.seed != link.seed {
                    link.params = kept.params;
                    link.seed = kept.seed;
                    notices.push(match lang {
                        Lang::En => "Your last settings for this lesson are back; “Defaults” returns to the lesson's own.".into(),
                        Lang::Zh => "已恢复你上次在本课的设置；点“恢复默认”可回到课程自带的设置。".into(),
                    });
                }
            }
        }
        let (params, errors) = lesson.resolve_lenient(&link.params);
        for e in errors {
            notices.push(format!("{e}; the default is used instead."));
        }
        let budget = link.budget.map(Budget::events).unwrap_or_default();
        let session = match Session::new(lesson.clone(), params, link.seed) {
            Ok(s) => s,
            Err(e) => {
                notices.push(format!("{e}; the lesson's defaults are used instead."));
                Session::new(lesson.clone(), lesson.default_params(), link.seed)
                    .unwrap_or_else(|_| unreachable!("built-in lesson defaults are valid"))
            }
        }
        .with_budget(budget);
        let snap = Rc::new(session.snapshot(lang));
        let speed_log = opening_speed_log(snap.horizon);
        let preview_job = (link.step == 0).then(|| Rc::new(RefCell::new(session.clone())));
        AppState {
            lang,
            lesson: Rc::new(lesson),
            session: Rc::new(RefCell::new(session)),
            snap,
            playing: false,
            speed_log,
            job: (link.step > 0).then_some(Target::Step(link.step)),
            notices,
            param_errors: BTreeMap::new(),
            rev: 0,
            shown_ms: 0.0,
            embed,
            previewing,
            help: false,
            pinned: None,
            quiz: super::grading::Quiz::default(),
            budget_stopped_end: false,
            preview: None,
            preview_job,
            play_at: None,
        }
    }

    /// The link that reproduces this state: parameters that differ from the lesson's defaults, the
    /// seed, and the step when paused.
    pub fn link(&self) -> LinkState {
        let s = self.session.borrow();
        let defaults = self.lesson.default_params();
        let params = self
            .lesson
            .params
            .iter()
            .filter_map(|lp| {
                let v = s.params().get(lp.name())?;
                (Some(v) != defaults.get(lp.name())).then(|| (lp.name().to_string(), v.to_string()))
            })
            .collect();
        LinkState {
            lesson: Some(self.lesson.id.clone()),
            seed: s.seed(),
            step: if self.playing || self.job.is_some() {
                0
            } else {
                s.step()
            },
            lang: Some(self.lang),
            params,
            budget: Some(s.budget().max_events)
                .filter(|&b| b != Budget::default().max_events)
                .map(|b| b.min(*crate::lesson::link::BUDGET_RANGE.end())),
        }
    }

    pub fn params(&self) -> Params {
        self.session.borrow().params().clone()
    }

    pub fn seed(&self) -> u64 {
        self.session.borrow().seed()
    }

    /// Speed as a multiple of real time.
    pub fn speed(&self) -> f64 {
        libm::pow(10.0, self.speed_log)
    }

    pub fn busy(&self) -> bool {
        self.playing || self.job.is_some() || self.quiz.busy() || self.preview_job.is_some()
    }

    /// Whether the charts show the preview: nothing has been played or stepped yet.
    pub fn showing_preview(&self) -> bool {
        self.snap.step == 0 && !self.playing && self.job.is_none() && self.preview.is_some()
    }

    /// Advances the preview run by one frame's share; when it ends, keeps its figures.
    fn preview_frame(&mut self) {
        let Some(job) = self.preview_job.clone() else {
            return;
        };
        let start = now_ms();
        let mut s = job.borrow_mut();
        loop {
            let _ = s.apply(Command::RunUnrecorded {
                max_events: CHUNK_EVENTS,
            });
            if s.is_done() || s.step() >= PREVIEW_MAX_EVENTS {
                if s.is_done() && s.exceeded().is_none() {
                    self.preview = Some(Rc::new(s.snapshot(self.lang).figures));
                }
                drop(s);
                self.preview_job = None;
                return;
            }
            if now_ms() - start > PREVIEW_FRAME_MS {
                return;
            }
        }
    }

    /// Starts a new preview for the session's current settings (the old one no longer applies).
    fn restart_preview(&mut self) {
        self.preview = None;
        self.preview_job = Some(Rc::new(RefCell::new(self.session.borrow().clone())));
    }

    /// Advances grading by one frame's budget; on completion, remembers the result and tells an
    /// embedding page.
    fn grade_frame(&mut self) {
        use super::grading::{challenge_key, question_key, Finished};
        let lesson = Rc::clone(&self.lesson);
        let Some(done) = self.quiz.work(&lesson, FRAME_BUDGET_MS, now_ms) else {
            return;
        };
        match done {
            Finished::Answered { q, correct } => {
                let Some(question) = lesson.questions.get(q) else {
                    return;
                };
                super::dom::storage_set(
                    &question_key(&lesson.id, &question.id),
                    if correct { "right" } else { "wrong" },
                );
                let answered = self.quiz.asked.len();
                let right = self
                    .quiz
                    .asked
                    .values()
                    .filter(|a| a.picked == a.answer.correct)
                    .count();
                if let Some(e) = &self.embed {
                    e.post(
                        "quiz-answered",
                        serde_json::json!({
                            "lesson": lesson.id, "question": question.id, "correct": correct,
                            "score": right, "answered": answered, "total": lesson.questions.len(),
                        }),
                    );
                }
            }
            Finished::Graded { c, passed } => {
                let Some(ch) = lesson.challenges.get(c) else {
                    return;
                };
                if passed {
                    super::dom::storage_set(&challenge_key(&lesson.id, &ch.id), "passed");
                    if let Some(e) = &self.embed {
                        e.post(
                            "challenge-passed",
                            serde_json::json!({ "lesson": lesson.id, "challenge": ch.id }),
                        );
                    }
                }
            }
        }
    }

    /// Progress of the job in progress, 0 to 1.
    pub fn job_progress(&self) -> Option<f64> {
        let snap = &self.snap;
        self.job
            .map(|t| match t {
                Target::Time(t) => snap.now as f64 / t.max(1) as f64,
                Target::Step(k) => snap.step as f64 / k.max(1) as f64,
                Target::End => snap.now as f64 / snap.horizon.max(1) as f64,
            })
            .map(|p| p.clamp(0.0, 1.0))
    }

    /// Re-runs with new parameters or seed, returning to the same virtual time in slices.
    fn restart(&mut self, params: Params, seed: u64) {
        // If an earlier change is still catching up, aim for where that one was going.
        let (back_to, was_done) = match self.job {
            Some(Target::Time(t)) => (t.max(self.snap.now), false),
            Some(Target::End) => (self.snap.now, true),
            _ => (self.snap.now, self.snap.finished),
        };
        let res = self
            .session
            .borrow_mut()
            .apply(Command::Reset { params, seed });
        if let Err(e) = res {
            self.param_errors.insert(e.param.clone(), e.message);
            return;
        }
        self.remember_settings();
        if back_to == 0 && !was_done {
            // Nothing played yet: the session is at step 0, exactly what the preview starts from.
            self.restart_preview();
        } else {
            self.preview = None;
            self.preview_job = None;
        }
        self.job = if was_done {
            Some(Target::End)
        } else if back_to > 0 {
            Some(Target::Time(back_to))
        } else {
            None
        };
    }

    /// Keeps the learner's parameters and seed for this lesson (not for a preview or an embedded
    /// lesson, whose settings come from elsewhere), so a plain link brings them back.
    fn remember_settings(&self) {
        if self.embed.is_some() || self.previewing {
            return;
        }
        let link = self.link();
        let kept = LinkState {
            params: link.params,
            seed: link.seed,
            ..LinkState::default()
        };
        super::dom::storage_set(&settings_key(&self.lesson.id), &kept.encode());
    }

    /// Works on the current job until the frame's budget is spent.
    fn work(&mut self) {
        let Some(target) = self.job else { return };
        let start = now_ms();
        let mut s = self.session.borrow_mut();
        loop {
            let done = match target {
                Target::Time(t) => {
                    let dt = t.saturating_sub(s.scenario().now_ns());
                    let _ = s.apply(Command::Advance {
                        dt,
                        max_events: CHUNK_EVENTS,
                    });
                    s.scenario().now_ns() >= t || s.is_done()
                }
                Target::Step(k) => {
                    let to = (s.step() + CHUNK_EVENTS).min(k);
                    let _ = s.apply(Command::Seek(to));
                    s.step() >= k || s.is_done()
                }
                Target::End => {
                    let _ = s.apply(Command::RunSlice {
                        max_events: CHUNK_EVENTS,
                    });
                    s.is_done()
                }
            };
            if done {
                self.budget_stopped_end = target == Target::End && s.exceeded().is_some();
                self.job = None;
                break;
            }
            if now_ms() - start > FRAME_BUDGET_MS {
                break;
            }
        }
    }

    fn play_frame(&mut self, dt_ms: f64) {
        // A long pause between frames (a background tab) must not become a huge jump.
        let dt_ms = dt_ms.clamp(0.0, 100.0);
        let dt = crate::sim::time::from_f64_nanos(dt_ms * 1e6 * self.speed());
        let mut s = self.session.borrow_mut();
        // Playback keeps its own clock: a model whose one event spans more than a frame's share of
        // time (a Go goroutine computing for 500 µs) lands past it, and the next frames wait for
        // the clock to catch up instead of racing through the run one event per frame.
        let now = s.scenario().now_ns();
        let at = self.play_at.unwrap_or(now).saturating_add(dt);
        self.play_at = Some(at);
        if at > now {
            let _ = s.apply(Command::Advance {
                dt: at - now,
                max_events: PLAY_MAX_EVENTS,
            });
        }
        if s.is_done() {
            self.playing = false;
        }
    }

    fn refresh(&mut self) {
        self.shown_ms = now_ms();
        self.snap = Rc::new(self.session.borrow().snapshot(self.lang));
        self.rev += 1;
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut st = (*self).clone();
        match action {
            Action::Frame { dt_ms } => {
                if st.quiz.busy() {
                    st.grade_frame();
                } else if st.job.is_some() {
                    st.work();
                    // Running to the end, redraw about ten times a second: drawing every frame
                    // would take a third of the main thread from the run. (Re-runs after a change
                    // still draw every frame: there the first redraw is what the learner waits for.)
                    if st.job == Some(Target::End) && now_ms() - st.shown_ms < END_REDRAW_MS {
                        return Rc::new(st);
                    }
                } else if st.playing {
                    st.play_frame(dt_ms);
                } else if st.preview_job.is_some() {
                    st.preview_frame();
                    // Redraw only when the preview is ready: until then nothing on screen changes.
                    if st.preview_job.is_some() {
                        return Rc::new(st);
                    }
                } else {
                    return self;
                }
            }
            Action::ShowHelp(on) => st.help = on,
            Action::Pin(on) => st.pinned = on.then(|| Rc::new(st.snap.figures.clone())),
            Action::SetPlaying(on) => {
                if on && st.snap.finished {
                    let _ = st.session.borrow_mut().apply(Command::Seek(0));
                }
                st.playing = on;
            }
            Action::TogglePlay => {
                if st.snap.finished && !st.playing {
                    let _ = st.session.borrow_mut().apply(Command::Seek(0));
                }
                st.playing = !st.playing;
            }
            Action::Step => {
                st.playing = false;
                st.job = None;
                let _ = st.session.borrow_mut().apply(Command::Step);
            }
            Action::StepBack => {
                st.playing = false;
                st.job = None;
                let _ = st.session.borrow_mut().apply(Command::StepBack(1));
            }
            Action::Reset => {
                st.playing = false;
                st.job = None;
                let _ = st.session.borrow_mut().apply(Command::Seek(0));
            }
            Action::RunToEnd => {
                st.playing = false;
                st.job = Some(Target::End);
            }
            Action::CancelJob => st.job = None,
            Action::RaiseBudget => {
                if st.session.borrow_mut().raise_budget() {
                    if std::mem::take(&mut st.budget_stopped_end) {
                        st.job = Some(Target::End);
                    } else {
                        st.playing = true;
                    }
                }
            }
            Action::SetParam { name, raw } => {
                let parsed = st.lesson.param(&name).map(|lp| lp.parse(&raw));
                match parsed {
                    Some(Ok(v)) => {
                        return Rc::new(st).reduce(Action::SetParamValue { name, value: v })
                    }
                    Some(Err(e)) => {
                        st.param_errors.insert(name, e.message);
                    }
                    None => return self,
                }
            }
            Action::SetParamValue { name, value } => {
                let mut params = st.params();
                match st.lesson.set(&mut params, &name, value) {
                    Ok(()) => {
                        st.param_errors.remove(&name);
                        let seed = st.seed();
                        st.restart(params, seed);
                    }
                    Err(e) => {
                        st.param_errors.insert(name, e.message);
                    }
                }
            }
            Action::ResetParams => {
                st.param_errors.clear();
                let seed = st.seed();
                let params = st.lesson.default_params();
                st.restart(params, seed);
            }
            Action::SetSeed(raw) => match raw.trim().parse::<u64>() {
                Ok(seed) => {
                    st.param_errors.remove("seed");
                    let params = st.params();
                    st.restart(params, seed);
                }
                Err(_) => {
                    st.param_errors.insert(
                        "seed".into(),
                        format!("a seed is a whole number from 0 to {}", u64::MAX),
                    );
                }
            },
            Action::SetLang(lang) => {
                st.lang = lang;
                super::dom::storage_set("gmplab.lang", lang.code());
            }
            Action::SetSpeed(x) => st.speed_log = x.clamp(-3.0, 3.0),
            Action::Dismiss(i) => {
                if i < st.notices.len() {
                    st.notices.remove(i);
                }
            }
            Action::Ask { q, choice } => {
                let lesson = Rc::clone(&st.lesson);
                st.quiz.ask(&lesson, q, choice);
            }
            Action::Grade { c } => {
                let lesson = Rc::clone(&st.lesson);
                let params = st.params();
                st.quiz.grade(&lesson, c, &params);
            }
            Action::LoadChallenge { c } => {
                let lesson = Rc::clone(&st.lesson);
                let Some(ch) = lesson.challenges.get(c) else {
                    return self;
                };
                let learner = st.params();
                match crate::session::grade::challenge_params(&lesson, ch, &learner) {
                    Ok(params) => {
                        let seed = ch.seeds.first().copied().unwrap_or(st.seed());
                        st.playing = false;
                        st.job = None;
                        let _ = st.session.borrow_mut().apply(Command::Seek(0));
                        st.refresh();
                        st.restart(params, seed);
                        let setup: Vec<String> = ch
                            .setup
                            .iter()
                            .map(|(k, v)| {
                                let label = lesson
                                    .param(k)
                                    .map(|lp| lp.label.get(st.lang).to_string())
                                    .unwrap_or_else(|| k.clone());
                                format!(
                                    "{label}: {}",
                                    super::components::embed_page::value_text(
                                        &lesson, k, v, st.lang
                                    )
                                )
                            })
                            .collect();
                        st.notices.push(match st.lang {
                            Lang::En => format!(
                                "Loaded the challenge's scenario (seed {seed}{}{}). Press Play to watch what grading runs.",
                                if setup.is_empty() { "" } else { "; " },
                                setup.join(", ")
                            ),
                            Lang::Zh => format!(
                                "已载入挑战的场景(种子 {seed}{}{})。点“播放”看看评测跑的是什么。",
                                if setup.is_empty() { "" } else { ";" },
                                setup.join("、")
                            ),
                        });
                    }
                    Err(e) => st.quiz.error = Some(e),
                }
            }
            Action::TourNext => st.quiz.tour_at += 1,
            Action::TourClose => st.quiz.tour_closed = true,
        }
        if !st.playing {
            st.play_at = None;
        }
        st.refresh();
        Rc::new(st)
    }
}
