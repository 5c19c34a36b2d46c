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
    html! {
        <article class="narrative">
            <h1>{l.title.get(lang)}</h1>
            <p class="summary">{l.summary.get(lang)}</p>
            { Html::from_html_unchecked((*body).clone()) }
        </article>
    }
}
