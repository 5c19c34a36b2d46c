//! Questions, challenges and the tour on the lesson page: what the learner picked, what the runs
//! answered, which challenges passed, and the grading batch in progress (advanced a frame at a time,
//! behind a progress bar). Results are kept in localStorage so the home page can show progress.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::lesson::Lesson;
use crate::session::grade::{
    challenge_batch, challenge_grade, question_answer, question_batch, Answer, Batch, Grade,
};
use crate::sim::params::Params;

/// Events one frame's slice of grading may run before it checks the clock again.
pub const GRADE_CHUNK: u64 = 20_000;

/// What is being graded.
#[derive(Clone, Debug)]
pub enum JobKind {
    /// Question `q`, with the learner's prediction.
    Question {
        q: usize,
        picked: usize,
    },
    Challenge {
        c: usize,
    },
}

#[derive(Clone, Debug)]
pub struct GradeJob {
    pub kind: JobKind,
    pub batch: Batch,
}

/// A question's outcome: the learner's prediction and what the runs said.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub picked: usize,
    pub answer: Answer,
}

#[derive(Clone, Debug, Default)]
pub struct Quiz {
    pub asked: BTreeMap<usize, Asked>,
    pub graded: BTreeMap<usize, Grade>,
    /// A message when grading could not run (a run hit a limit).
    pub error: Option<String>,
    pub job: Option<Rc<std::cell::RefCell<GradeJob>>>,
    /// The tour stop shown, and whether the learner closed the tour.
    pub tour_at: usize,
    pub tour_closed: bool,
}

impl PartialEq for Quiz {
    fn eq(&self, other: &Self) -> bool {
        self.asked == other.asked
            && self.graded == other.graded
            && self.error == other.error
            && self.job.is_some() == other.job.is_some()
            && self.tour_at == other.tour_at
            && self.tour_closed == other.tour_closed
    }
}

/// What finished grading produced, for the page to announce (embed messages, storage).
#[derive(Clone, Debug, PartialEq)]
pub enum Finished {
    Answered { q: usize, correct: bool },
    Graded { c: usize, passed: bool },
}

pub fn question_key(lesson: &str, q: &str) -> String {
    format!("gmplab.quiz.{lesson}.{q}")
}

pub fn challenge_key(lesson: &str, c: &str) -> String {
    format!("gmplab.challenge.{lesson}.{c}")
}

impl Quiz {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The prediction being run for question `q`, while its runs go on (so the page marks it).
    pub fn pending_choice(&self, q: usize) -> Option<usize> {
        let job = self.job.as_ref()?.borrow();
        match job.kind {
            JobKind::Question { q: jq, picked } if jq == q => Some(picked),
            _ => None,
        }
    }

    pub fn progress(&self) -> Option<f64> {
        self.job.as_ref().map(|j| j.borrow().batch.progress())
    }

    /// Starts answering question `q` (the learner predicted `picked`).
    pub fn ask(&mut self, lesson: &Lesson, q: usize, picked: usize) {
        let Some(question) = lesson.questions.get(q) else {
            return;
        };
        if picked >= question.choices.len() {
            return;
        }
        match question_batch(lesson, question) {
            Ok(batch) => {
                self.error = None;
                self.job = Some(Rc::new(std::cell::RefCell::new(GradeJob {
                    kind: JobKind::Question { q, picked },
                    batch,
                })));
            }
            Err(e) => self.error = Some(e.message),
        }
    }

    /// Starts grading challenge `c` with the learner's current parameters.
    pub fn grade(&mut self, lesson: &Lesson, c: usize, learner: &Params) {
        let Some(ch) = lesson.challenges.get(c) else {
            return;
        };
        match challenge_batch(lesson, ch, learner) {
            Ok(batch) => {
                self.error = None;
                self.job = Some(Rc::new(std::cell::RefCell::new(GradeJob {
                    kind: JobKind::Challenge { c },
                    batch,
                })));
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Runs the job for at most `budget_ms` of wall time (`now_ms` reads the clock).
    pub fn work(
        &mut self,
        lesson: &Lesson,
        budget_ms: f64,
        now_ms: impl Fn() -> f64,
    ) -> Option<Finished> {
        let job = self.job.clone()?;
        let start = now_ms();
        let mut j = job.borrow_mut();
        loop {
            match j.batch.advance(GRADE_CHUNK) {
                Err(e) => {
                    self.error = Some(e);
                    self.job = None;
                    return None;
                }
                Ok(true) => break,
                Ok(false) if now_ms() - start > budget_ms => return None,
                Ok(false) => {}
            }
        }
        self.job = None;
        match j.kind {
            JobKind::Question { q, picked } => {
                let question = lesson.questions.get(q)?;
                match question_answer(lesson, question, &j.batch) {
                    Ok(answer) => {
                        let correct = answer.correct == picked;
                        self.asked.insert(q, Asked { picked, answer });
                        Some(Finished::Answered { q, correct })
                    }
                    Err(e) => {
                        self.error = Some(e.message);
                        None
                    }
                }
            }
            JobKind::Challenge { c } => {
                let ch = lesson.challenges.get(c)?;
                match challenge_grade(lesson, ch, &j.batch) {
                    Ok(g) => {
                        let passed = g.passed;
                        self.graded.insert(c, g);
                        Some(Finished::Graded { c, passed })
                    }
                    Err(e) => {
                        self.error = Some(e.message);
                        None
                    }
                }
            }
        }
    }

    /// The tour stop to show at (step, now), if any.
    pub fn tour_stop<'a>(
        &self,
        lesson: &'a Lesson,
        step: u64,
        now: u64,
    ) -> Option<(usize, &'a crate::lesson::quiz::TourStop)> {
        if self.tour_closed {
            return None;
        }
        let stop = lesson.tour.get(self.tour_at)?;
        stop.due(step, now).then_some((self.tour_at, stop))
    }
}
