//! The runtime drawn as a board: each P with its M, current goroutine, runnext and local queue; the
//! global queue; idle Ps and threads; every goroutine with its state, wait reason and line; every
//! channel's ring buffer with sendx/recvx, sendq and recvq; every mutex with holder and waiters.

use yew::prelude::*;

use super::text::pg;
use crate::runtime::g::{GStatus, GoId, WaitReason};
use crate::runtime::view::{GView, RuntimeView};
use crate::runtime::{MState, PStatus};
use crate::sim::text::Lang;

#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub view: std::rc::Rc<RuntimeView>,
    pub lang: Lang,
    /// The program ended in Go's deadlock error: the board explains the wait-for chain. (Only
    /// then: mid-run, goroutines all parked in a select may be waiting for a timer.)
    #[prop_or_default]
    pub deadlocked: bool,
}

fn state_class(g: Option<&GView>) -> &'static str {
    match g.map(|g| (g.status, g.wait)) {
        Some((GStatus::Running, _)) => "g running",
        Some((GStatus::Runnable, _)) => "g runnable",
        Some((GStatus::Syscall, _)) => "g syscall",
        Some((GStatus::Waiting, Some(WaitReason::Sleep))) => "g sleeping",
        Some((GStatus::Waiting, _)) => "g waiting",
        _ => "g dead",
    }
}

/// A board word in the learner's language; Go's own names (wait reasons, runnext, runq) stay as Go
/// spells them, as Chinese engineers use them.
fn word(en: &'static str, lang: Lang) -> &'static str {
    if lang == Lang::En {
        return en;
    }
    match en {
        "running" => "运行中",
        "runnable" => "可运行",
        "syscall" | "in syscall" => "系统调用中",
        "dead" => "已结束",
        "idle" => "空闲",
        "finding work" => "正在找活",
        "no goroutine" => "没有 goroutine",
        "beyond GOMAXPROCS" => "超出 GOMAXPROCS",
        "spinning" => "自旋中",
        "waking" => "唤醒中",
        "line" => "行",
        other => other,
    }
}

fn state_text(g: &GView, lang: Lang) -> String {
    match (g.status, g.wait) {
        (_, Some(w)) => w.go_name().to_string(),
        (GStatus::Running, _) => word("running", lang).into(),
        (GStatus::Runnable, _) => word("runnable", lang).into(),
        (GStatus::Syscall, _) => word("syscall", lang).into(),
        _ => word("dead", lang).into(),
    }
}

/// Chips drawn for the global run queue and for each P's local queue: a full 256-slot queue on
/// every P would put over a thousand chips in the page, each one redrawn as the run goes on.
const GLOBAL_DRAWN: usize = 64;
const RUNQ_DRAWN: usize = 64;

/// One goroutine as a chip: its id, coloured by state, with state and line on hover or focus.
fn chip(view: &RuntimeView, id: GoId, lang: Lang) -> Html {
    // Goroutines are listed in id order: a binary search keeps a board of a million of them cheap.
    let g = view
        .goroutines
        .binary_search_by_key(&id, |g| g.id)
        .ok()
        .and_then(|i| view.goroutines.get(i))
        .or_else(|| view.goroutines.iter().find(|g| g.id == id));
    let title = g
        .map(|g| {
            format!(
                "G{} · {} · {} {} {}",
                g.id,
                state_text(g, lang),
                g.func,
                word("line", lang),
                g.line
            )
        })
        .unwrap_or_else(|| format!("G{id}"));
    html! {
        <span class={state_class(g)} title={title.clone()} aria-label={title} tabindex="0">{format!("G{id}")}</span>
    }
}

#[function_component(Board)]
pub fn board(p: &BoardProps) -> Html {
    let v = &*p.view;
    let t = pg(p.lang);
    let ps = v.ps.iter().map(|pp| {
        // The head and the body tell one story: a P that holds an M but no goroutine is in the
        // scheduler looking for one (findRunnable), not "running" beside an empty slot.
        let status = match (pp.status, pp.curg) {
            (PStatus::Running, Some(_)) => "running",
            (PStatus::Running, None) => "finding work",
            (PStatus::Idle, _) => "idle",
            (PStatus::Syscall, _) => "in syscall",
            (PStatus::Dead, _) => "beyond GOMAXPROCS",
        };
        let queue = pp.runq.iter().take(RUNQ_DRAWN).map(|g| chip(v, *g, p.lang));
        let more = pp.runq_len.saturating_sub(pp.runq.len().min(RUNQ_DRAWN));
        html! {
            <li class={classes!("p-card", (pp.status != PStatus::Running).then_some("p-idle"))} data-p={pp.id.to_string()}>
                <div class="p-head">
                    <span class="p-name">{format!("P{}", pp.id)}</span>
                    <span class="m-name">{pp.m.map(|m| format!("M{m}")).unwrap_or_else(|| "—".into())}</span>
                    <span class="muted">{word(status, p.lang)}</span>
                </div>
                <div class="p-cur">
                    { match pp.curg { Some(g) => chip(v, g, p.lang), None => html!{ <span class="muted">{word("no goroutine", p.lang)}</span> } } }
                </div>
                <div class="p-row"><span class="p-label">{"runnext"}</span>
                    { match pp.runnext { Some(g) => chip(v, g, p.lang), None => html!{ <span class="muted">{"·"}</span> } } }
                </div>
                <div class="p-row"><span class="p-label">{format!("runq {}", pp.runq_len)}</span>
                    <span class="runq">{ for queue }
                        if more > 0 { <span class="muted">{format!("+{more}")}</span> }
                    </span>
                </div>
            </li>
        }
    });
    // The global queue can hold a million goroutines; the first ones are drawn, the count says the rest.
    let global = v
        .global
        .iter()
        .take(GLOBAL_DRAWN)
        .map(|g| chip(v, *g, p.lang));
    let global_more = v.global.len().saturating_sub(GLOBAL_DRAWN);
    let ms = v.ms.iter().map(|m| {
        let (class, what) = match m.state {
            MState::Running => ("m running", "running"),
            MState::Spinning => ("m spinning", "spinning"),
            MState::Syscall(_) => ("m syscall", "in syscall"),
            MState::Idle => ("m idle", "idle"),
            MState::Waking => ("m spinning", "waking"),
        };
        let what = word(what, p.lang);
        let p_txt = m.p.map(|p| format!(" → P{p}")).unwrap_or_default();
        html! { <span class={class} title={format!("M{} {what}{p_txt}", m.id)}>{format!("M{}{p_txt}", m.id)}<small>{format!(" {what}")}</small></span> }
    });
    let gs = v
        .goroutines
        .iter()
        .filter(|g| g.status != GStatus::Dead)
        .take(200)
        .map(|g| {
            html! {
                <tr>
                    <td><span class={state_class(Some(g))}>{format!("G{}", g.id)}</span></td>
                    <td>{state_text(g, p.lang)}</td>
                    <td class="mono">{g.func.clone()}</td>
                    <td class="num">{g.line}</td>
                </tr>
            }
        });
    let chans = v.chans.iter().map(|c| {
        let slots = c.slots.iter().enumerate().map(|(i, s)| {
            let marks = match (i == c.sendx, i == c.recvx) {
                (true, true) => "sendx recvx",
                (true, false) => "sendx",
                (false, true) => "recvx",
                _ => "",
            };
            html! { <li class={classes!("slot", s.is_some().then_some("full"))} title={marks}>{s.clone().unwrap_or_default()}</li> }
        });
        html! {
            <li class="chan">
                <div class="chan-head">
                    <span class="mono">{format!("chan#{} cap {}", c.id, c.cap)}</span>
                    <span class="muted">{format!(" len {} · sendx {} · recvx {}", c.count, c.sendx, c.recvx)}</span>
                    if c.closed { <span class="badge">{t.closed}</span> }
                </div>
                if c.cap > 0 { <ol class="buffer slots">{ for slots }</ol> }
                <div class="p-row"><span class="p-label">{"recvq"}</span>{ for c.recvq.iter().map(|g| chip(v, *g, p.lang)) }</div>
                <div class="p-row"><span class="p-label">{"sendq"}</span>{ for c.sendq.iter().map(|g| chip(v, *g, p.lang)) }</div>
            </li>
        }
    });
    let mutexes = v.mutexes.iter().map(|m| html! {
        <li class="chan">
            <span class="mono">{format!("mutex#{}", m.id)}</span>
            <span class="muted">{format!(" {} ", if m.starving { t.starving } else { t.normal })}</span>
            <div class="p-row"><span class="p-label">{t.holder}</span>{ for m.holder.map(|g| chip(v, g, p.lang)) }</div>
            <div class="p-row"><span class="p-label">{t.waiters}</span>{ for m.waiters.iter().map(|g| chip(v, *g, p.lang)) }</div>
        </li>
    });
    let [running, runnable, waiting, syscall] = v.counts;
    // A stuck program says why, in the board's own names, above the board.
    let stuck = p.deadlocked.then(|| crate::session::deadlock::explain(v)).flatten().map(|s| {
        let title = if p.lang == Lang::Zh {
            "为什么卡住了"
        } else {
            "Why it is stuck"
        };
        html! {
            <div class="deadlock-why" role="status" data-testid="deadlock-why"
                data-lines={s.lines().iter().map(|l| l.to_string()).collect::<Vec<_>>().join(",")}>
                <strong>{title}</strong>
                <ol>{ for s.sentences(p.lang).into_iter().map(|t| html! { <li>{t}</li> }) }</ol>
            </div>
        }
    });
    html! {
        <section class="card board" aria-labelledby="board-title" data-testid="gmp-board" data-region="board">
            { for stuck }
            <div class="card-head">
                <h2 id="board-title">{t.board}</h2>
                <span class="muted">{format!("running {running} · runnable {runnable} · waiting {waiting} · syscall {syscall}")}</span>
            </div>
            <ul class="p-grid">{ for ps }</ul>
            <div class="p-row global">
                <span class="p-label">{format!("{} ({})", t.global_queue, v.global_len)}</span>
                <span class="runq">{ for global }
                    if global_more > 0 { <span class="muted">{format!(" +{global_more}")}</span> }
                </span>
            </div>
            <div class="p-row">
                <span class="p-label">{t.idle_ps}</span>
                if v.idle_ps.is_empty() { <span class="muted">{t.none}</span> }
                { for v.idle_ps.iter().map(|p| html!{ <span class="chip">{format!("P{p}")}</span> }) }
            </div>
            <div class="p-row"><span class="p-label">{t.threads}</span><span class="ms">{ for ms }</span></div>
            <details open=true>
                <summary>{format!("{} ({})", t.goroutines, running + runnable + waiting + syscall)}</summary>
                <table class="g-table">
                    <tbody>{ for gs }</tbody>
                </table>
            </details>
            if !v.chans.is_empty() {
                <details open=true data-region="channels">
                    <summary>{format!("{} ({})", t.channels, v.chans.len())}</summary>
                    <ul class="chans">{ for chans.take(12) }</ul>
                </details>
            }
            if !v.mutexes.is_empty() {
                <details open=true data-region="mutexes">
                    <summary>{format!("{} ({})", t.mutexes, v.mutexes.len())}</summary>
                    <ul class="chans">{ for mutexes.take(12) }</ul>
                </details>
            }
        </section>
    }
}
