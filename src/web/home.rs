//! The home page (`?page=home`): every lesson grouped by chapter with its title, one-line summary,
//! level, minutes and the learner's progress (kept in localStorage), and the Go playground.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::dom;
use crate::lesson::catalog;
use crate::sim::text::Lang;

/// Where a lesson's progress is kept: "visited", and later quiz and challenge results.
pub fn progress_key(lesson: &str) -> String {
    format!("gmplab.progress.{lesson}")
}

struct HomeText {
    title: &'static str,
    lead: &'static str,
    minutes: &'static str,
    visited: &'static str,
    new: &'static str,
    playground: &'static str,
    playground_text: &'static str,
    open: &'static str,
    language: &'static str,
}

const EN: HomeText = HomeText {
    title: "Learn Go concurrency by watching it run",
    lead: "Each lesson is a deterministic simulation of Go's runtime or of a system built on it. Change a parameter and the goroutines, queues and latency charts answer at once.",
    minutes: "min",
    visited: "Visited",
    new: "Not started",
    playground: "Go playground",
    playground_text: "Paste any Go snippet and step through it: which goroutine runs on which P, who waits on which channel, and why it deadlocks or leaks.",
    open: "Open",
    language: "中文",
};

const ZH: HomeText = HomeText {
    title: "看着它跑,学会 Go 并发",
    lead: "每节课都是 Go 运行时或其上系统的确定性模拟。改一个参数,goroutine、队列和延迟曲线立刻给出回应。",
    minutes: "分钟",
    visited: "已学习",
    new: "未开始",
    playground: "Go 演练场",
    playground_text: "粘贴任意 Go 代码并逐步执行:哪个 goroutine 在哪个 P 上运行,谁在等哪个 channel,为什么会死锁或泄漏。",
    open: "打开",
    language: "English",
};

#[function_component(Home)]
pub fn home() -> Html {
    let lang = use_state(dom::initial_lang);
    let t = if *lang == Lang::Zh { &ZH } else { &EN };
    use_effect_with(*lang, |lang| dom::set_document_lang(*lang));
    let mut chapters: BTreeMap<u32, Vec<crate::lesson::Lesson>> = BTreeMap::new();
    for l in catalog::lessons() {
        chapters.entry(l.chapter).or_default().push(l);
    }
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if *lang == Lang::En {
                Lang::Zh
            } else {
                Lang::En
            };
            dom::storage_set("gmplab.lang", next.code());
            lang.set(next);
        })
    };
    let draft = use_state(|| dom::storage_get(super::state::PREVIEW_KEY).unwrap_or_default());
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target().and_then(|t| {
                wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(t).ok()
            }) {
                draft.set(t.value());
            }
        })
    };
    let on_preview = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            dom::storage_set(super::state::PREVIEW_KEY, &draft);
            dom::navigate("?preview=1");
        })
    };
    let preview_title = if *lang == Lang::Zh {
        "预览你自己的课程文件"
    } else {
        "Preview your own lesson file"
    };
    let preview_text = if *lang == Lang::Zh {
        "把一个课程文件(格式见 docs/lesson-format.md)粘贴到这里,就能像内置课程一样打开它。文件只保存在你的浏览器里。"
    } else {
        "Paste a lesson file (see docs/lesson-format.md) and open it like a built-in lesson. It stays in your browser."
    };
    let chapter_label = |n: u32| super::chapters::chapter_heading(n, *lang);
    let groups = chapters.iter().map(|(n, lessons)| {
        let cards = lessons.iter().map(|l| {
            let visited = dom::storage_get(&progress_key(&l.id)).is_some();
            let right = l
                .questions
                .iter()
                .filter(|q| dom::storage_get(&super::grading::question_key(&l.id, &q.id)).as_deref() == Some("right"))
                .count();
            let passed = l
                .challenges
                .iter()
                .filter(|c| dom::storage_get(&super::grading::challenge_key(&l.id, &c.id)).is_some())
                .count();
            let quiz = (!l.questions.is_empty()).then(|| {
                let label = if *lang == Lang::Zh { "题答对" } else { "predicted right" };
                html! { <span class={classes!("chip", (right == l.questions.len()).then_some("done"))} data-testid={format!("quiz-progress-{}", l.id)}>
                    {format!("{right}/{} {label}", l.questions.len())}</span> }
            });
            let challenge = (!l.challenges.is_empty()).then(|| {
                let label = if *lang == Lang::Zh { "挑战通过" } else { "challenge passed" };
                html! { <span class={classes!("chip", (passed == l.challenges.len()).then_some("done"))}>
                    {format!("{passed}/{} {label}", l.challenges.len())}</span> }
            });
            html! {
                <li class="lesson-card">
                    <a href={format!("?lesson={}&lang={}", l.id, lang.code())} data-testid={format!("lesson-{}", l.id)}>
                        <h3>{l.title.get(*lang).to_string()}</h3>
                    </a>
                    <p>{l.summary.get(*lang).to_string()}</p>
                    <div class="lesson-meta">
                        <span class="chip">{l.level.label().get(*lang).to_string()}</span>
                        <span class="chip">{format!("{} {}", l.minutes, t.minutes)}</span>
                        <span class={classes!("chip", visited.then_some("done"))}>{ if visited { t.visited } else { t.new } }</span>
                        { for quiz }
                        { for challenge }
                    </div>
                </li>
            }
        });
        html! {
            <section class="chapter">
                <h2>{chapter_label(*n)}</h2>
                <ul class="lesson-list">{ for cards }</ul>
            </section>
        }
    });
    html! {
        <div class="page home" data-testid="home">
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"G"}</span>
                    <span class="brand-name">{"GMP Lab"}</span>
                </div>
                <button class="btn ghost lang" onclick={toggle}>{t.language}</button>
            </header>
            <main class="home-main">
                <h1>{t.title}</h1>
                <p class="lead">{t.lead}</p>
                <section class="chapter">
                    <ul class="lesson-list">
                        <li class="lesson-card playground-card">
                            <a href={format!("?page=playground&lang={}", lang.code())} data-testid="open-playground"><h3>{t.playground}</h3></a>
                            <p>{t.playground_text}</p>
                            <a class="btn primary" href={format!("?page=playground&lang={}", lang.code())}>{t.open}</a>
                        </li>
                    </ul>
                </section>
                { for groups }
                <section class="chapter preview-box" aria-labelledby="preview-title">
                    <h2 id="preview-title">{preview_title}</h2>
                    <p class="muted">{preview_text}</p>
                    <textarea class="preview-text" rows="8" spellcheck="false" value={(*draft).clone()} oninput={on_draft}
                        aria-labelledby="preview-title" data-testid="preview-text" placeholder="+++\nformat = 1\nid = \"my-lesson\"\n..." />
                    <button class="btn primary" onclick={on_preview} data-testid="preview-open" disabled={draft.trim().is_empty()}>
                        { if *lang == Lang::Zh { "预览" } else { "Preview" } }
                    </button>
                </section>
            </main>
        </div>
    }
}
