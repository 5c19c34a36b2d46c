//! Predict-then-run questions and graded challenges. A question is answered by picking a choice and
//! pressing Run: the simulation runs every choice (over the question's seeds) and the measured
//! numbers decide. A challenge grades the learner's current settings over its own fixed seeds.

use yew::prelude::*;

use super::StateDispatchProps;
use crate::session::grade::short;
use crate::sim::text::Lang;
use crate::web::state::Action;

/// A metric's value the way a person reads it: durations with a unit, ratios as percentages.
pub fn fmt_metric(name: &str, v: f64) -> String {
    if name.ends_with("_s") && !name.ends_with("per_s") {
        super::fmt_duration(v)
    } else if name.contains("ratio") || name.ends_with("_util") {
        format!("{:.2} %", v * 100.0)
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        super::fmt_count(v)
    } else {
        short(v)
    }
}

#[function_component(Questions)]
pub fn questions(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let lesson = &st.lesson;
    if lesson.questions.is_empty() && lesson.challenges.is_empty() {
        return html! {};
    }
    let zh = st.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let busy = st.quiz.busy();
    let progress = st.quiz.progress();

    let questions = lesson.questions.iter().enumerate().map(|(qi, q)| {
        let asked = st.quiz.asked.get(&qi);
        let name = format!("q-{}", q.id);
        let choices = q.choices.iter().enumerate().map(|(ci, c)| {
            let d = p.dispatch.clone();
            let onclick = Callback::from(move |_| d.dispatch(Action::Ask { q: qi, choice: ci }));
            let verdict = asked.map(|a| {
                let measured = fmt_metric(&q.metric, a.answer.means[ci]);
                // Right and wrong are said in words and marks, not only by colour.
                let mark = if ci == a.answer.correct {
                    tr("✓ the answer", "✓ 正确答案")
                } else if ci == a.picked {
                    tr("✗ your prediction", "✗ 你的预测")
                } else {
                    ""
                };
                html! { <span class="measured">{measured}{" "}<strong class="mark">{mark}</strong></span> }
            });
            let picked = asked.map(|a| a.picked == ci).unwrap_or(false)
                || st.quiz.pending_choice(qi) == Some(ci);
            let class = classes!(
                "choice",
                asked.map(|a| if ci == a.answer.correct { "right" } else if ci == a.picked { "wrong" } else { "" })
            );
            html! {
                <li {class}>
                    <button type="button" class="btn choice-btn" {onclick} disabled={busy} data-testid={format!("{name}-{ci}")}
                        aria-pressed={picked.to_string()}>
                        {c.label.get(st.lang).to_string()}
                    </button>
                    { for verdict }
                </li>
            }
        });
        let result = asked.map(|a| {
            let right = a.picked == a.answer.correct;
            html! {
                <div class={classes!("verdict", if right { "right" } else { "wrong" })} role="status" data-testid={format!("{name}-verdict")} data-correct={right.to_string()}>
                    <strong>{ if right { tr("Right.", "答对了。") } else { tr("Not this time.", "这次没猜中。") } }</strong>
                    {" "}
                    {format!("{} ({}, {} {})", tr("The runs measured", "运行测得"), q.metric, q.seeds.len(), tr("seeds each", "个种子取平均"))}
                    <p>{q.explain.get(st.lang).to_string()}</p>
                </div>
            }
        });
        html! {
            <li class="question" data-question={q.id.clone()}>
                <p class="prompt">{q.prompt.get(st.lang).to_string()}</p>
                <p class="muted small-note">{tr("Pick your prediction; the simulation then runs every choice.", "先选出你的预测,然后模拟会把每个选项都跑一遍。")}</p>
                <ul class="choices">{ for choices }</ul>
                { for result }
            </li>
        }
    });

    let challenges = lesson.challenges.iter().enumerate().map(|(ci, ch)| {
        let d = p.dispatch.clone();
        let onclick = Callback::from(move |_| d.dispatch(Action::Grade { c: ci }));
        let load = {
            let d = p.dispatch.clone();
            Callback::from(move |_| d.dispatch(Action::LoadChallenge { c: ci }))
        };
        let free: Vec<String> = ch
            .free
            .iter()
            .map(|n| lesson.param(n).map(|lp| lp.label.get(st.lang).to_string()).unwrap_or_else(|| n.clone()))
            .collect();
        let targets = ch.targets.iter().map(|t| {
            html! { <li>{format!("{} {} {}", super::stats::metric_label(&t.metric, st.lang), t.cmp.symbol(), fmt_metric(&t.metric, t.value))}</li> }
        });
        let grade = st.quiz.graded.get(&ci).map(|g| {
            let rows = g.results.iter().map(|r| html! {
                <tr class={if r.ok { "ok" } else { "bad" }}>
                    <td>{r.seed}</td><td>{super::stats::metric_label(&r.target.metric, st.lang)}</td>
                    <td>{fmt_metric(&r.target.metric, r.value)}</td><td>{ if r.ok { "✓" } else { "✗" } }</td>
                </tr>
            });
            let answer: Vec<String> = ch
                .answer
                .iter()
                .map(|(k, v)| {
                    let label = lesson.param(k).map(|lp| lp.label.get(st.lang).to_string()).unwrap_or_else(|| k.clone());
                    format!("{label}: {}", super::embed_page::value_text(lesson, k, v, st.lang))
                })
                .collect();
            html! {
                <div class={classes!("verdict", if g.passed { "right" } else { "wrong" })} role="status"
                    data-testid={format!("challenge-{}-verdict", ch.id)} data-passed={g.passed.to_string()}>
                    <strong>{ if g.passed { tr("Passed on every seed.", "所有种子都通过了。") } else { tr("Not yet: see which target failed.", "还没有通过:看看哪个目标没达到。") } }</strong>
                    <table class="grade">
                        <thead><tr><th>{tr("seed", "种子")}</th><th>{tr("metric", "指标")}</th><th>{tr("measured", "测得")}</th><th></th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    if g.passed {
                        <p>{ch.explain.get(st.lang).to_string()}</p>
                        <p class="muted">{format!("{} {}", tr("One model answer:", "一个参考答案:"), answer.join(" · "))}</p>
                    }
                </div>
            }
        });
        html! {
            <li class="challenge" data-challenge={ch.id.clone()}>
                <p class="prompt">{ch.prompt.get(st.lang).to_string()}</p>
                <p class="muted small-note">{format!("{} {}", tr("You may change:", "你可以调整:"), free.join(", "))}</p>
                <ul class="targets">{ for targets }</ul>
                <button type="button" class="btn primary" {onclick} disabled={busy} data-testid={format!("challenge-{}-grade", ch.id)}>
                    {tr("Grade my settings", "评测我的设置")}
                </button>
                {" "}
                <button type="button" class="btn ghost" onclick={load} disabled={busy} data-testid={format!("challenge-{}-load", ch.id)}>
                    {tr("Load the challenge's scenario", "载入挑战的场景")}
                </button>
                <span class="muted small-note">{format!(" {} {}", tr("graded on seeds", "评测种子"),
                    ch.seeds.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))}</span>
                { for grade }
            </li>
        }
    });

    html! {
        <section class="card quiz" aria-labelledby="quiz-title" data-region="questions">
            <div class="card-head"><h2 id="quiz-title">{tr("Predict, then run", "先预测,再运行")}</h2></div>
            if let Some(pct) = progress {
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow={format!("{:.0}", pct * 100.0)} aria-label={tr("Running the simulation", "正在运行模拟")} data-testid="grading">
                    <div class="progress-bar" style={format!("width: {:.1}%", pct * 100.0)}></div>
                </div>
            }
            if let Some(e) = &st.quiz.error {
                <p class="error" role="alert">{e.clone()}</p>
            }
            <ol class="questions">{ for questions }</ol>
            if !lesson.challenges.is_empty() {
                <h3 data-region="challenges">{tr("Challenge", "挑战")}</h3>
                <ol class="challenges">{ for challenges }</ol>
            }
        </section>
    }
}
