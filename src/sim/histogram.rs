//! Latency distributions: a whole-run histogram and per-window percentiles over time.
//!
//! Counts live in an HDR histogram (two significant digits: 1% resolution at any scale, a few tens of
//! kilobytes whatever the run length). The mean is kept exactly from an integer sum, not read back from
//! the buckets.

use super::series::Series;
use super::time::Nanos;
use hdrhistogram::Histogram;

/// The longest latency recorded exactly; longer ones count as this value.
pub const MAX_TRACKED: Nanos = 3_600 * super::time::NANOS_PER_SEC;

#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    count: u64,
    sum: u128,
}

/// Summary statistics of a latency histogram, in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Percentiles {
    pub count: u64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    pub fn new() -> Self {
        // Bounds are constants that hdrhistogram accepts, so construction cannot fail.
        let hist = Histogram::new_with_bounds(1, MAX_TRACKED, 2)
            .unwrap_or_else(|_| unreachable!("constant histogram bounds are valid"));
        Self {
            hist,
            count: 0,
            sum: 0,
        }
    }

    pub fn record(&mut self, ns: Nanos) {
        self.hist.saturating_record(ns.min(MAX_TRACKED));
        self.count += 1;
        self.sum += ns as u128;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact sum of everything recorded, in nanoseconds.
    pub fn sum(&self) -> u128 {
        self.sum
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum as f64 / self.count as f64
        }
    }

    /// The value at quantile `q` in [0, 1] (0 for an empty histogram).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.hist.value_at_quantile(q) as f64
        }
    }

    /// The usual percentiles, found in one pass over the counts (a per-window flush calls this, so
    /// four separate scans would cost more than the window's records).
    pub fn percentiles(&self) -> Percentiles {
        let mut q = [0.0; 4];
        if self.count > 0 {
            for (slot, v) in q
                .iter_mut()
                .zip(self.hist.value_at_quantiles([0.5, 0.9, 0.99, 0.999]))
            {
                *slot = v as f64;
            }
        }
        Percentiles {
            count: self.count,
            mean: self.mean(),
            p50: q[0],
            p90: q[1],
            p99: q[2],
            p999: q[3],
            max: if self.count == 0 {
                0.0
            } else {
                self.hist.max() as f64
            },
        }
    }

    pub fn reset(&mut self) {
        self.hist.reset();
        self.count = 0;
        self.sum = 0;
    }

    pub fn hash_into(&self, h: &mut super::StateHasher) {
        h.u64(self.count).u128(self.sum);
        for v in self.hist.iter_recorded() {
            h.u64(v.value_iterated_to()).u64(v.count_at_value());
        }
    }
}

/// Percentiles per fixed window of virtual time, kept as bounded series so a chart can show how the
/// latency distribution moves over a run.
#[derive(Clone, Debug)]
pub struct WindowedLatency {
    window: Nanos,
    current: LatencyHistogram,
    current_index: u64,
    /// Where the current window ends (saves a division per record).
    current_end: Nanos,
    pub mean: Series,
    pub p50: Series,
    pub p90: Series,
    pub p99: Series,
    pub p999: Series,
}

impl WindowedLatency {
    /// Windows of `window` nanoseconds; the series hold at most `cap` points each.
    pub fn new(window: Nanos, cap: usize) -> Self {
        let window = window.max(1);
        let series = || Series::samples(cap, window);
        Self {
            window,
            current: LatencyHistogram::new(),
            current_index: 0,
            current_end: window,
            mean: series(),
            p50: series(),
            p90: series(),
            p99: series(),
            p999: series(),
        }
    }

    pub fn window(&self) -> Nanos {
        self.window
    }

    /// Records a latency observed at time `t`.
    pub fn record(&mut self, t: Nanos, latency: Nanos) {
        let start = self.current_end - self.window;
        if t >= self.current_end || t < start {
            self.flush();
            self.current_index = t / self.window;
            self.current_end = (self.current_index + 1).saturating_mul(self.window);
        }
        self.current.record(latency);
    }

    /// Closes the current window, adding its percentiles to the series.
    pub fn flush(&mut self) {
        if self.current.count() == 0 {
            return;
        }
        let p = self.current.percentiles();
        let t = self.current_index * self.window + self.window / 2;
        self.mean.record(t, p.mean);
        self.p50.record(t, p.p50);
        self.p90.record(t, p.p90);
        self.p99.record(t, p.p99);
        self.p999.record(t, p.p999);
        self.current.reset();
    }

    pub fn hash_into(&self, h: &mut super::StateHasher) {
        h.u64(self.window).u64(self.current_index);
        self.current.hash_into(h);
        for s in [&self.mean, &self.p50, &self.p90, &self.p99, &self.p999] {
            s.hash_into(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_one_to_a_thousand_are_within_one_percent() {
        let mut h = LatencyHistogram::new();
        for v in 1..=1000u64 {
            h.record(v * 1000);
        }
        let p = h.percentiles();
        assert_eq!(p.count, 1000);
        assert_eq!(p.mean, 500_500.0);
        for (got, want) in [(p.p50, 500_000.0), (p.p90, 900_000.0), (p.p99, 990_000.0)] {
            assert!((got - want).abs() / want < 0.01, "{got} vs {want}");
        }
    }

    #[test]
    fn overlong_latencies_saturate_but_keep_an_exact_mean() {
        let mut h = LatencyHistogram::new();
        h.record(u64::MAX / 2);
        assert_eq!(h.sum(), (u64::MAX / 2) as u128);
        assert!(h.quantile(1.0) <= MAX_TRACKED as f64 * 1.01);
    }

    #[test]
    fn each_window_gets_its_own_percentiles() {
        let mut w = WindowedLatency::new(100, 64);
        for t in 0..100 {
            w.record(t, 10);
        }
        for t in 100..200 {
            w.record(t, 1000);
        }
        w.flush();
        let p50 = w.p50.points(200);
        assert_eq!(p50.len(), 2);
        assert!((p50[0].mean - 10.0).abs() < 0.5);
        assert!((p50[1].mean - 1000.0).abs() < 10.0);
    }
}
