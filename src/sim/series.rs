//! Time series that stay the same size however long a run is.
//!
//! A series has a fixed number of buckets over time. When time runs past the last bucket, neighbouring
//! buckets merge pairwise and the bucket width doubles, so memory is bounded and each update is O(1)
//! amortised. Every bucket keeps min, max and a weighted mean, so a chart can draw the band between
//! the extremes as well as the average: a spike shorter than a bucket is never averaged away.

use super::time::Nanos;

/// Summary of everything recorded in one span of time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    pub min: f64,
    pub max: f64,
    /// Sum of value × weight.
    pub sum: f64,
    /// Nanoseconds covered (level series) or number of samples (sample series).
    pub weight: f64,
}

impl Bucket {
    const EMPTY: Bucket = Bucket {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        sum: 0.0,
        weight: 0.0,
    };

    pub fn is_empty(&self) -> bool {
        self.min > self.max
    }

    pub fn mean(&self) -> f64 {
        if self.weight > 0.0 {
            self.sum / self.weight
        } else if self.is_empty() {
            f64::NAN
        } else {
            // A level that was set at a bucket's very end holds no time there yet.
            self.max
        }
    }

    fn touch(&mut self, v: f64) {
        if v < self.min {
            self.min = v;
        }
        if v > self.max {
            self.max = v;
        }
    }

    fn add(&mut self, v: f64, weight: f64) {
        self.touch(v);
        self.sum += v * weight;
        self.weight += weight;
    }

    fn merge(a: &Bucket, b: &Bucket) -> Bucket {
        Bucket {
            min: a.min.min(b.min),
            max: a.max.max(b.max),
            sum: a.sum + b.sum,
            weight: a.weight + b.weight,
        }
    }
}

/// How values combine within a bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesKind {
    /// A quantity that holds its value until it changes (a queue length): means are time-weighted.
    Level,
    /// Point observations (a window's p99): means are per sample.
    Sample,
}

/// One non-empty bucket, ready to plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesPoint {
    pub t0: Nanos,
    pub t1: Nanos,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

#[derive(Clone, Debug)]
pub struct Series {
    kind: SeriesKind,
    width: Nanos,
    cap: usize,
    buckets: Vec<Bucket>,
    /// Level series: the current value and since when it holds.
    level: f64,
    since: Nanos,
    /// The bucket touched last and where it starts: most updates land in it, and finding it again
    /// without a division is what keeps an update cheap.
    cur: usize,
    cur_start: Nanos,
}

impl Series {
    /// A level series starting at `initial` at time 0. `width` is the initial bucket width; pick it so
    /// that `cap` buckets cover the expected run and no merging happens in the common case.
    pub fn level(cap: usize, width: Nanos, initial: f64) -> Self {
        let mut s = Self::new(SeriesKind::Level, cap, width);
        s.level = initial;
        s.bucket_mut(0).touch(initial);
        s
    }

    /// A series of point observations.
    pub fn samples(cap: usize, width: Nanos) -> Self {
        Self::new(SeriesKind::Sample, cap, width)
    }

    fn new(kind: SeriesKind, cap: usize, width: Nanos) -> Self {
        let cap = cap.max(2) & !1; // even, so pairs merge cleanly
        Self {
            kind,
            width: width.max(1),
            cap,
            buckets: Vec::with_capacity(cap),
            level: 0.0,
            since: 0,
            cur: 0,
            cur_start: 0,
        }
    }

    pub fn kind(&self) -> SeriesKind {
        self.kind
    }

    pub fn width(&self) -> Nanos {
        self.width
    }

    /// The level now in force (level series).
    pub fn current(&self) -> f64 {
        self.level
    }

    /// The index of the bucket covering time `t`, merging buckets first if `t` lies beyond the last
    /// one.
    fn index(&mut self, t: Nanos) -> usize {
        if t >= self.cur_start && t - self.cur_start < self.width && self.cur < self.buckets.len() {
            return self.cur;
        }
        while t / self.width >= self.cap as u64 {
            self.coarsen();
        }
        let i = (t / self.width) as usize;
        if self.buckets.len() <= i {
            self.buckets.resize(i + 1, Bucket::EMPTY);
        }
        self.cur = i;
        self.cur_start = i as u64 * self.width;
        i
    }

    fn bucket_mut(&mut self, t: Nanos) -> &mut Bucket {
        let i = self.index(t);
        &mut self.buckets[i]
    }

    fn coarsen(&mut self) {
        let merged: Vec<Bucket> = self
            .buckets
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => Bucket::merge(a, b),
                [a] => *a,
                _ => Bucket::EMPTY,
            })
            .collect();
        self.buckets = merged;
        self.width = self.width.saturating_mul(2);
        self.cur = usize::MAX;
        self.cur_start = u64::MAX;
    }

    /// Level series: the value becomes `v` at time `t` (t never goes backwards).
    #[inline]
    pub fn set(&mut self, t: Nanos, v: f64) {
        debug_assert_eq!(self.kind, SeriesKind::Level);
        // Fast path: the level has held since a time in the current bucket and changes in it too. Its
        // value is already in the bucket's min/max (it was touched when set), so only the
        // time-weighted sum moves. Gives exactly what the general path gives.
        if self.since >= self.cur_start
            && t >= self.since
            && t - self.cur_start < self.width
            && self.cur < self.buckets.len()
        {
            let dt = (t - self.since) as f64;
            let b = &mut self.buckets[self.cur];
            if dt > 0.0 {
                b.sum += self.level * dt;
                b.weight += dt;
            }
            b.touch(v);
            self.level = v;
            self.since = t;
            return;
        }
        self.hold_until(t);
        self.level = v;
        self.bucket_mut(t).touch(v);
    }

    /// Adds `delta` to the current level at time `t`.
    pub fn add(&mut self, t: Nanos, delta: f64) {
        let v = self.level + delta;
        self.set(t, v);
    }

    /// Credits the current level for the time from `since` to `t`.
    fn hold_until(&mut self, t: Nanos) {
        let level = self.level;
        let mut a = self.since;
        if t <= a {
            return;
        }
        while a < t {
            // Finding the bucket may coarsen and change the width, so read the bounds after.
            let i = self.index(a);
            let end = self.cur_start.saturating_add(self.width).min(t);
            self.buckets[i].add(level, (end - a) as f64);
            a = end;
        }
        self.since = t;
    }

    /// Sample series: one observation `v` at time `t`.
    pub fn record(&mut self, t: Nanos, v: f64) {
        debug_assert_eq!(self.kind, SeriesKind::Sample);
        self.bucket_mut(t).add(v, 1.0);
    }

    /// For a level series holding a running count: how fast the count grew in each bucket, per
    /// second (the chart of a rate, from a series that never needs resetting).
    pub fn rate_points(&self, now: Nanos) -> Vec<SeriesPoint> {
        self.points(now)
            .into_iter()
            .map(|p| {
                let r = (p.max - p.min).max(0.0) / super::time::to_secs(p.t1 - p.t0).max(1e-12);
                SeriesPoint {
                    min: r,
                    max: r,
                    mean: r,
                    ..p
                }
            })
            .collect()
    }

    /// The non-empty buckets up to `now`; a level series includes the level still in force.
    pub fn points(&self, now: Nanos) -> Vec<SeriesPoint> {
        let view;
        let s = if self.kind == SeriesKind::Level && now > self.since {
            let mut c = self.clone();
            c.hold_until(now);
            view = c;
            &view
        } else {
            self
        };
        s.buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, b)| {
                let t0 = i as u64 * s.width;
                SeriesPoint {
                    t0,
                    t1: t0 + s.width,
                    min: b.min,
                    max: b.max,
                    mean: b.mean(),
                }
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.iter().all(Bucket::is_empty)
    }

    /// Feeds the series into a state hash.
    pub fn hash_into(&self, h: &mut super::StateHasher) {
        // `cur` and `cur_start` are a lookup cache, not state.
        h.u64(self.width).f64(self.level).u64(self.since);
        h.usize(self.buckets.len());
        for b in &self.buckets {
            h.f64(b.min).f64(b.max).f64(b.sum).f64(b.weight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_series_weights_values_by_how_long_they_hold() {
        let mut s = Series::level(8, 100, 0.0);
        s.set(25, 4.0); // 0 for 25 ns, then 4
        s.set(75, 2.0); // 4 for 50 ns, then 2
        let p = s.points(100);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].min, 0.0);
        assert_eq!(p[0].max, 4.0);
        // (0*25 + 4*50 + 2*25) / 100
        assert!((p[0].mean - 2.5).abs() < 1e-12);
    }

    #[test]
    fn a_held_level_fills_every_bucket_it_spans() {
        let mut s = Series::level(8, 10, 3.0);
        let p = s.points(35);
        assert_eq!(p.len(), 4);
        assert!(p
            .iter()
            .all(|b| b.min == 3.0 && b.max == 3.0 && b.mean == 3.0));
        s.set(35, 1.0);
        assert_eq!(s.points(40).last().map(|b| b.min), Some(1.0));
    }

    #[test]
    fn memory_is_bounded_and_extremes_survive_merging() {
        let mut s = Series::samples(16, 1);
        for t in 0..100_000u64 {
            s.record(t, if t == 54_321 { 1e6 } else { 1.0 });
        }
        assert!(s.len() <= 16);
        let pts = s.points(100_000);
        let total: f64 = pts.iter().map(|p| p.mean).sum::<f64>();
        assert!(total > 0.0);
        assert_eq!(pts.iter().map(|p| p.max).fold(0.0, f64::max), 1e6);
        assert_eq!(pts.iter().map(|p| p.min).fold(f64::INFINITY, f64::min), 1.0);
    }

    #[test]
    fn merging_keeps_the_time_weighted_mean() {
        let mut a = Series::level(4, 10, 1.0);
        a.set(50, 3.0); // 1 for 50 ns, then 3 for 50 ns: forces merging past 40 ns
        let pts = a.points(100);
        let (sum, w): (f64, f64) = pts
            .iter()
            .map(|p| {
                (
                    p.mean * (p.t1.min(100) - p.t0) as f64,
                    (p.t1.min(100) - p.t0) as f64,
                )
            })
            .fold((0.0, 0.0), |(s, w), (a, b)| (s + a, w + b));
        assert!((sum / w - 2.0).abs() < 1e-12, "{pts:?}");
    }

    #[test]
    fn absurd_times_do_not_loop_forever() {
        let mut s = Series::samples(8, 1);
        s.record(u64::MAX - 1, 1.0);
        assert!(s.len() <= 8);
    }
}
