//! A toy M/M/1 queue that exists only in the tests: it shows that a model is its own folder plus one
//! line in `registry!`, and that such a model runs through the same `Session` as the real ones.
//!
//! Poisson arrivals at `arrival_rate`, one server with exponential service at `service_rate`, and a
//! fixed number of customers; theory says the mean time in the system is 1 / (μ − λ).

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::rng::SimRng;
use crate::sim::text::{Lang, Text};
use crate::sim::time::{from_f64_nanos, to_secs, Nanos};
use crate::sim::StateHasher;

pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec::float("arrival_rate", 0.1, 1e6, 8.0, Text::new("Arrivals per second.", "每秒到达数。")),
    ParamSpec::float("service_rate", 0.1, 1e6, 10.0, Text::new("Services per second.", "每秒服务数。")),
    ParamSpec::int("customers", 1, 10_000_000, 20_000, Text::new("Customers who arrive.", "到达的顾客数。")),
];

#[derive(Clone, Debug)]
pub struct Config {
    lambda: f64,
    mu: f64,
    customers: u64,
}

impl Config {
    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let all = Params::over_defaults(SCHEMA, params)?;
        Ok(Config {
            lambda: all.num("arrival_rate")?,
            mu: all.num("service_rate")?,
            customers: all.num("customers")? as u64,
        })
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);

#[derive(Clone, Copy, Debug)]
pub enum Ev {
    Arrival,
    Departure,
}

/// One step: a customer arrived (and how many are now in the system) or left (after how long).
#[derive(Clone, Debug, PartialEq)]
pub enum Mm1Event {
    Arrived { at: Nanos, in_system: u64 },
    Departed { at: Nanos, sojourn: Nanos },
}

impl Mm1Event {
    pub fn narrate(&self, _lang: Lang) -> String {
        match self {
            Mm1Event::Arrived { at, in_system } => {
                format!("{:.3} s: a customer arrived ({in_system} in the system).", to_secs(*at))
            }
            Mm1Event::Departed { at, sojourn } => {
                format!("{:.3} s: a customer left after {:.3} s.", to_secs(*at), to_secs(*sojourn))
            }
        }
    }
}

pub type Mm1 = Kernel<Queue>;

#[derive(Clone, Debug)]
pub struct Queue {
    cfg: Config,
    rng: SimRng,
    arrived: u64,
    /// Arrival times of the customers in the system, the one in service first.
    waiting: VecDeque<Nanos>,
    served: u64,
    sojourn_sum: u128,
}

impl Queue {
    fn gap(&mut self, rate: f64) -> Nanos {
        from_f64_nanos(-self.rng.next_f64_open0().ln() / rate * 1e9).max(1)
    }
}

impl Model for Queue {
    type Ev = Ev;
    type Event = Mm1Event;
    type View = (Nanos, u64);
    type Config = Config;
    const NAME: &'static str = "toy_mm1";

    fn new(cfg: Config, seed: u64, k: &mut Core<Ev>) -> Self {
        let mut q = Queue {
            cfg,
            rng: SimRng::new(seed, 1),
            arrived: 0,
            waiting: VecDeque::new(),
            served: 0,
            sojourn_sum: 0,
        };
        let first = q.gap(q.cfg.lambda);
        k.schedule(first, Ev::Arrival);
        q
    }

    fn handle(&mut self, k: &mut Core<Ev>, ev: Ev) -> Option<Mm1Event> {
        let now = k.now();
        Some(match ev {
            Ev::Arrival => {
                self.arrived += 1;
                if self.arrived < self.cfg.customers {
                    let gap = self.gap(self.cfg.lambda);
                    k.schedule(now + gap, Ev::Arrival);
                }
                self.waiting.push_back(now);
                if self.waiting.len() == 1 {
                    let service = self.gap(self.cfg.mu);
                    k.schedule(now + service, Ev::Departure);
                }
                Mm1Event::Arrived {
                    at: now,
                    in_system: self.waiting.len() as u64,
                }
            }
            Ev::Departure => {
                let arrived = self.waiting.pop_front().unwrap_or(now);
                self.served += 1;
                self.sojourn_sum += u128::from(now - arrived);
                if !self.waiting.is_empty() {
                    let service = self.gap(self.cfg.mu);
                    k.schedule(now + service, Ev::Departure);
                }
                Mm1Event::Departed {
                    at: now,
                    sojourn: now - arrived,
                }
            }
        })
    }

    fn hash_state(&self, k: &Core<Ev>, h: &mut StateHasher) {
        h.u64(self.rng.draws()).u64(self.arrived).u64(self.served);
        h.u128(self.sojourn_sum).u64(k.scheduled());
        k.hash_events(h, |ev, h| {
            h.u8(matches!(ev, Ev::Departure) as u8);
        });
        for t in &self.waiting {
            h.u64(*t);
        }
        k.hash_halt(h);
    }

    fn approx_bytes(&self, _k: &Core<Ev>) -> usize {
        self.waiting.len() * 8
    }

    fn view(&self, k: &Core<Ev>) -> (Nanos, u64) {
        (k.now(), self.waiting.len() as u64)
    }

    fn summary(&self, _k: &Core<Ev>) -> Vec<MetricPair> {
        let mean = self.sojourn_sum as f64 / self.served.max(1) as f64 / 1e9;
        vec![
            ("served".into(), Metric::Count(self.served)),
            ("mean_sojourn_s".into(), Metric::Real(mean)),
        ]
    }

    fn figures(&self, _k: &Core<Ev>) -> Vec<Figure> {
        Vec::new()
    }

    fn horizon(&self) -> Nanos {
        from_f64_nanos(self.cfg.customers as f64 / self.cfg.lambda * 1e9)
    }
}

#[cfg(test)]
mod tests;
