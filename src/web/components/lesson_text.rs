use yew::prelude::*;

use super::StateProps;
use crate::lesson::markdown::to_safe_html;

/// The lesson's narrative. The Markdown is rendered once per language and sanitised by
/// [`to_safe_html`] before it reaches the page.
#[function_component(LessonText)]
pub fn lesson_text(p: &StateProps) -> Html {
    let st = &p.state;
    let lang = st.lang;
    let lesson = st.lesson.clone();
    let body = use_memo((lesson.id.clone(), lang), move |_| {
        AttrValue::from(to_safe_html(lesson.body.get(lang)))
    });
    let l = &st.lesson;
    // On a phone the simulation comes first: the text starts folded under its title and summary
    // (one tap opens it), instead of pushing the lab thousands of pixels down.
    let narrow = use_memo((), |_| crate::web::dom::narrow_screen());
    let read = match lang {
        crate::sim::text::Lang::En => format!("Read the lesson ({} min)", l.minutes),
        crate::sim::text::Lang::Zh => format!("阅读课程正文(约 {} 分钟)", l.minutes),
    };
    html! {
        <article class="narrative">
            <h1>{l.title.get(lang)}</h1>
            <p class="summary">{l.summary.get(lang)}</p>
            <details class="lesson-body" open={!*narrow} data-testid="lesson-body">
                <summary>{read}</summary>
                { Html::from_html_unchecked((*body).clone()) }
                <LessonNav id={l.id.clone()} {lang} />
            </details>
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct NavProps {
    id: String,
    lang: crate::sim::text::Lang,
}

/// Previous and next lesson in course order, with the chapter each belongs to.
#[function_component(LessonNav)]
fn lesson_nav(p: &NavProps) -> Html {
    let id = p.id.clone();
    let pair = use_memo(id, |id| crate::web::chapters::neighbours(id));
    let lang = p.lang;
    let zh = lang == crate::sim::text::Lang::Zh;
    let link = |l: &crate::lesson::Lesson, label: &str, rel: &'static str| {
        html! {
            <a class={classes!("lesson-nav-link", rel)} rel={rel} href={format!("?lesson={}&lang={}", l.id, lang.code())}
                data-testid={format!("lesson-{rel}")}>
                <span class="muted">{format!("{label} · {}", crate::web::chapters::chapter_heading(l.chapter, lang))}</span>
                <strong>{l.title.get(lang).to_string()}</strong>
            </a>
        }
    };
    let (prev, next) = &*pair;
    html! {
        <nav class="lesson-nav" aria-label={if zh { "课程导航" } else { "Lesson navigation" }}>
            { for prev.as_ref().map(|l| link(l, if zh { "上一课" } else { "Previous" }, "prev")) }
            { for next.as_ref().map(|l| link(l, if zh { "下一课" } else { "Next" }, "next")) }
        </nav>
    }
}
