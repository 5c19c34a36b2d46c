//! A goroutine profile like pprof's (`debug=1`): live goroutines grouped by what they are doing and
//! where, largest group first, so a leak shows up as one big group at one line.

use super::g::GStatus;
use super::view::RuntimeView;

/// One group: how many goroutines share this state (a wait reason, or running/runnable/syscall),
/// function and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileRow {
    pub count: usize,
    pub state: &'static str,
    pub func: String,
    pub line: u32,
}

/// Groups the view's live goroutines; ties are ordered by function and line, so the order is stable.
pub fn goroutine_profile(view: &RuntimeView) -> Vec<ProfileRow> {
    let mut rows: Vec<ProfileRow> = Vec::new();
    for g in view.goroutines.iter().filter(|g| g.status != GStatus::Dead) {
        let state = match (g.status, g.wait) {
            (_, Some(w)) => w.go_name(),
            (GStatus::Running, _) => "running",
            (GStatus::Runnable, _) => "runnable",
            (GStatus::Syscall, _) => "syscall",
            _ => "dead",
        };
        match rows
            .iter_mut()
            .find(|r| r.state == state && r.line == g.line && r.func == g.func)
        {
            Some(r) => r.count += 1,
            None => rows.push(ProfileRow {
                count: 1,
                state,
                func: g.func.clone(),
                line: g.line,
            }),
        }
    }
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.func.cmp(&b.func))
            .then(a.line.cmp(&b.line))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Stepping;

    #[test]
    fn blocked_senders_at_one_line_form_one_group() {
        let src = "package main\n\nimport \"time\"\n\nfunc main() {\n\tch := make(chan int)\n\tfor i := 0; i < 5; i++ {\n\t\tgo func() {\n\t\t\tch <- i\n\t\t}()\n\t}\n\ttime.Sleep(time.Second)\n}\n";
        let program = crate::golang::compile("main.go", src).expect("compiles");
        let mut rt = crate::runtime::Runtime::new(
            std::rc::Rc::new(program),
            crate::runtime::Config::default(),
        );
        // Run until main is asleep and the five senders are parked.
        rt.run_until(500_000_000, 100_000);
        let rows = goroutine_profile(&rt.view());
        assert_eq!(rows[0].count, 5, "{rows:?}");
        assert_eq!(rows[0].state, "chan send");
        assert_eq!(rows[0].line, 9);
        assert_eq!(rows[1].count, 1);
        assert_eq!(rows[1].state, "sleep");
    }
}
