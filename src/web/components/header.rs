use yew::prelude::*;

use super::StateDispatchProps;
use crate::sim::text::Lang;
use crate::web::i18n::ui;
use crate::web::state::Action;

#[function_component(Header)]
pub fn header(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let other = match st.lang {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    };
    let onclick = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::SetLang(other)))
    };
    let l = &st.lesson;
    html! {
        <header class="topbar">
            <a class="brand" href={format!("?page=home&lang={}", st.lang.code())}>
                <span class="logo" aria-hidden="true">{"G"}</span>
                <span class="brand-name">{"GMP Lab"}</span>
                <span class="brand-tag">{t.brand_tag}</span>
            </a>
            <div class="lesson-meta">
                <span class="chip">{t.chapter.replace("{}", &l.chapter.to_string())}</span>
                <span class="chip">{l.level.label().get(st.lang).to_string()}</span>
                <span class="chip">{format!("{} {}", l.minutes, t.minutes)}</span>
                <a class="chip" href={format!("?page=playground&lang={}", st.lang.code())}>{t.playground}</a>
            </div>
            <button class="btn ghost lang" {onclick} lang={if other == Lang::Zh {"zh-CN"} else {"en"}}
                aria-label={if st.lang == Lang::En { "切换到中文" } else { "Switch to English" }}>
                {t.language}
            </button>
        </header>
    }
}
